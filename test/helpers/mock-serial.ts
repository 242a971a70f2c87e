/**
 * A serialport MockBinding that remembers every port it opened, so a test can
 * feed bytes into them or unplug them. MockBinding keeps its ports in module
 * state: tests using it run serially.
 */
import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import type { SerialBinding } from '../../agent/src/sources/serial.ts';

export function recordingBinding(): { binding: SerialBinding; opened: MockPortBinding[] } {
  const opened: MockPortBinding[] = [];
  const binding = {
    ...MockBinding,
    list: () => MockBinding.list(),
    open: async (o: Parameters<typeof MockBinding.open>[0]) => {
      const p = await MockBinding.open(o);
      opened.push(p);
      return p;
    },
  } as unknown as SerialBinding;
  return { binding, opened };
}
