export * from './schwab-emulator.js';
