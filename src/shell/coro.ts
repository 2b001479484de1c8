/**
 * The interpreter runs as generators ("coroutines") so that a background job can be suspended
 * in the middle of a compound command while the foreground goes on. A coroutine yields a Block
 * saying what it waits for; the Driver runs the host's event loop until that is true.
 */

/** Why a coroutine was resumed. 'stuck': it can never be satisfied (idle, or the wait cap hit). */
export type Wake = 'ready' | 'deadline' | 'stuck';

export interface Block {
  done(): boolean;
  /** Absolute virtual time (ns) at which to resume even if done() is still false. */
  deadline?: number;
  /** Just run host.settle() and resume. */
  settle?: boolean;
}

export type Co<T> = Generator<Block, T, Wake>;

export const SETTLE: Block = { done: () => true, settle: true };
