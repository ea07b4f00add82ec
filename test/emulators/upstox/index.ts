export * from './upstox-emulator.js';
