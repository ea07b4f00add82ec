export * from './ibkr-emulator.js';
