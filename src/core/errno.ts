/** errno values the core answers with, and the texts glibc's strerror gives for them. */
export const enum Errno {
  EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, EBADF = 9,
  EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19,
  ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOSPC = 28, ERANGE = 34,
  ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40, ENODATA = 61, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95,
  EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETDOWN = 100, ENETUNREACH = 101,
  ENOBUFS = 105, ETIMEDOUT = 110, EHOSTUNREACH = 113,
}

const TEXT: Record<number, string> = {
  1: 'Operation not permitted', 2: 'No such file or directory', 3: 'No such process',
  4: 'Interrupted system call', 5: 'Input/output error', 6: 'No such device or address',
  7: 'Argument list too long', 9: 'Bad file descriptor', 11: 'Resource temporarily unavailable',
  12: 'Cannot allocate memory', 13: 'Permission denied', 14: 'Bad address',
  16: 'Device or resource busy', 17: 'File exists', 18: 'Invalid cross-device link', 19: 'No such device',
  20: 'Not a directory', 21: 'Is a directory', 22: 'Invalid argument', 23: 'Too many open files in system',
  24: 'Too many open files', 28: 'No space left on device', 34: 'Numerical result out of range',
  36: 'File name too long', 38: 'Function not implemented', 40: 'Too many levels of symbolic links',
  61: 'No data available', 93: 'Protocol not supported', 95: 'Operation not supported',
  97: 'Address family not supported by protocol', 98: 'Address already in use',
  99: 'Cannot assign requested address', 100: 'Network is down', 101: 'Network is unreachable',
  105: 'No buffer space available', 110: 'Connection timed out', 113: 'No route to host',
};

export function strerror(errno: number): string {
  return TEXT[errno] ?? `Unknown error ${errno}`;
}

/** A kernel answer: 0 for success, or an errno with the optional extack message. */
export interface NlError { errno: number; extack?: string; }
export type NlResult<T = void> = { ok: true; value: T } | ({ ok: false } & NlError);

export const OK: NlResult = { ok: true, value: undefined };
export function ok<T>(value: T): NlResult<T> { return { ok: true, value }; }
export function err(errno: number, extack?: string): { ok: false; errno: number; extack?: string } {
  return extack === undefined ? { ok: false, errno } : { ok: false, errno, extack };
}
