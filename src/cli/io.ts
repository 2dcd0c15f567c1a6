/** Where a command writes; tests pass their own to capture output. */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stdout is an interactive terminal (progress display). */
  tty: boolean;
}

export const processIO: CliIO = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  tty: !!process.stdout.isTTY && !process.env.CI,
};

/** A problem with how the command was called: exit 2 with a one-line message, no stack. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;
