/** Control flow that unwinds the interpreter (thrown through the generators). */
import type { Signal } from './host.ts';

/** `exit`, set -e, fatal expansion errors: ends the current shell (script, subshell, job). */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** Bash's "discard the rest of this line" after e.g. an arithmetic or bad-substitution error. */
export class AbortLine {
  constructor(readonly status: number) {}
}

export class ReturnSignal {
  constructor(readonly status: number) {}
}

export class BreakSignal {
  constructor(readonly n: number) {}
}

export class ContinueSignal {
  constructor(readonly n: number) {}
}

/** A background job's shell code got a signal: it stops at the next command boundary. */
export class JobAbort {
  constructor(readonly sig: Signal) {}
}
