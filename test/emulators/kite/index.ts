export { type KiteEmulator, type KiteEmulatorOptions, type KiteEmulatorState, KiteFaults, type RequestRecord, startKiteEmulator } from './kite-emulator.js';
export { ERROR_STATUS, KiteEmulatorError } from './kite-error.js';
export { DEFAULT_INSTRUMENTS, type EmulatedInstrument, type EmulatedOrder, KiteExchange } from './kite-exchange.js';
