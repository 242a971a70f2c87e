import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { MemoryOutboxStore } from '../../agent/src/publish/outbox/memory-store.ts';
import { FileOutboxStore } from '../../agent/src/publish/outbox/file-store.ts';
import { outboxStoreContract } from './outbox-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'outbox-contract-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

outboxStoreContract('memory', {
  create: async () => ({ store: new MemoryOutboxStore(), key: '' }),
});

// A short commit interval keeps the contract quick; compaction is forced often to run it too.
const fileOptions = { commitIntervalMs: 2, compactMinBytes: 512 };
outboxStoreContract('file', {
  create: async () => {
    const key = join(dir, `outbox-${n++}.log`);
    return { store: FileOutboxStore.open(key, fileOptions), key };
  },
  reopen: async (key) => FileOutboxStore.open(key, fileOptions),
});
