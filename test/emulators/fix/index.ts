export { type FixEmulator, type FixEmulatorOptions, startFixEmulator } from './fix-emulator.js';
