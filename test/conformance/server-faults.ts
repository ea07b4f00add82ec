import type { EmulatorServer } from '../emulators/exchange/emulator-server.js';
import type { VenueFaults } from './subject.js';

/** The kit's wire faults, for an emulator built on the shared emulator server. */
export function serverFaults(server: EmulatorServer): Required<Pick<VenueFaults, 'bookThenReset' | 'loseNextPlacement' | 'serverErrors' | 'malformedBodies' | 'hang' | 'rateLimit'>> {
  const { faults } = server;
  return {
    bookThenReset: () => faults.bookThenReset(),
    loseNextPlacement: () => faults.loseNextPlacement(),
    serverErrors: (count) => faults.serverErrors(count),
    malformedBodies: (count) => faults.malformedBodies(count),
    hang: (count) => faults.hang(count),
    rateLimit: (count) => faults.rateLimit(count),
  };
}

/** The kit's stream faults, for an emulator whose order updates go through the shared server's WebSocket hub. */
export function streamFaults(server: EmulatorServer): Required<Pick<VenueFaults, 'dropStream' | 'dropStreamMessages' | 'duplicateStreamMessages' | 'reorderStreamMessages'>> {
  const { stream } = server;
  return {
    dropStream: () => stream.drop(),
    dropStreamMessages: (count) => stream.dropMessages(count),
    duplicateStreamMessages: (on) => stream.duplicateMessages(on),
    reorderStreamMessages: (on) => stream.reorderMessages(on),
  };
}
