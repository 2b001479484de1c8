/**
 * Bad input for the byte parsers: damaged frames through every wire view, tcpdump's printer and
 * filter, damaged capture files through the pcap/pcapng reader, damaged frames into the kernel's
 * receive path. The properties live in test/fuzz/wire-targets.ts (`npm run fuzz` runs them longer).
 */
import { describe } from 'node:test';
import { WIRE_TARGETS } from '../fuzz/wire-targets.ts';
import { runTargets } from '../fuzz/run-in-test.ts';

describe('bad input: wire parsers, tcpdump, capture files, kernel receive path', () => runTargets(WIRE_TARGETS));
