/**
 * A count or an amount as the server accepts it: a whole number from 0 up. NaN, negative,
 * infinite, missing or non-numeric values become 0 and fractions are rounded, because a cost that
 * a bridge computed badly must not cost the whole record (the server rejects negative values).
 */
export function nonNegativeInteger(value: unknown): number {
  if (typeof value === "bigint") {
    if (value <= 0n) return 0;
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return 0;
  return Math.min(Math.round(value), Number.MAX_SAFE_INTEGER);
}
