/** A bounded first-in first-out queue that makes room by dropping its oldest items. */
export interface RecordBuffer<T> {
  readonly length: number;
  /** Appends; returns how many old items were dropped to make room (0 or 1). */
  push(item: T): number;
  /** Removes and returns up to `count` of the oldest items. */
  take(count: number): T[];
  /**
   * Puts items back at the front, as the oldest, in their order (a batch to retry). Returns how
   * many could not fit and were dropped: the oldest of them, as with `push`.
   */
  returnToFront(items: readonly T[]): number;
  /** Empties the buffer; returns how many items it held. */
  clear(): number;
}

/**
 * Creates a ring buffer of `capacity` slots. Every operation is O(items moved) with no copying of
 * the rest, so `push`, on the caller's path, is constant time whatever the backlog.
 */
export function createRecordBuffer<T>(capacity: number): RecordBuffer<T> {
  const slots: (T | undefined)[] = new Array(capacity);
  let head = 0; // index of the oldest item
  let length = 0;

  return {
    get length() {
      return length;
    },
    push(item) {
      if (length === capacity) {
        slots[head] = item; // overwrites the oldest, which becomes the newest
        head = (head + 1) % capacity;
        return 1;
      }
      slots[(head + length) % capacity] = item;
      length++;
      return 0;
    },
    take(count) {
      const n = Math.min(count, length);
      const taken: T[] = new Array(n);
      for (let i = 0; i < n; i++) {
        taken[i] = slots[head] as T;
        slots[head] = undefined;
        head = (head + 1) % capacity;
      }
      length -= n;
      return taken;
    },
    returnToFront(items) {
      const fit = Math.min(items.length, capacity - length);
      // The newest of the returned items are kept; walk backwards so they land in order.
      for (let i = items.length - 1; i >= items.length - fit; i--) {
        head = (head - 1 + capacity) % capacity;
        slots[head] = items[i];
      }
      length += fit;
      return items.length - fit;
    },
    clear() {
      const held = length;
      slots.fill(undefined);
      head = 0;
      length = 0;
      return held;
    },
  };
}
