export * from './alpaca-emulator.js';
