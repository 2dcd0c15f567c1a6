import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * One full collection, once the model is built and before the workers start: loading and checking
 * a county leaves a hundred megabytes of parse garbage that V8 would keep until much later, and
 * peak memory would grow with the project. (`gc` is reachable this way without a command-line flag.)
 */
export function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // twice: the first pass leaves what weak references and finalizers held (at 10,000 items, half
    // the model) for the second
    gc();
    gc();
  } catch {
    // not available on this runtime: memory is merely higher for a while
  }
}
