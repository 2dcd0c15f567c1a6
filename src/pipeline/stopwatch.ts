/** Seconds per step of a build, in order: the benchmark prints them to show where a rebuild's time goes. */
export class Stopwatch {
  readonly steps: [step: string, seconds: number][] = [];
  private last = performance.now();

  lap(step: string): void {
    const now = performance.now();
    this.steps.push([step, (now - this.last) / 1000]);
    this.last = now;
  }
}
