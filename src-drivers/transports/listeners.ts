/** A small listener set: a throwing listener is isolated from the others and from the emitter. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(cb: (value: T) => void): () => void {
    this.set.add(cb);
    return () => this.set.delete(cb);
  }

  emit(value: T): void {
    for (const cb of [...this.set]) {
      try {
        cb(value);
      } catch {
        // A listener's bug must not break the device's byte stream.
      }
    }
  }
}
