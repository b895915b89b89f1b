export interface Clock {
  /** Milliseconds since the epoch, UTC. Every expiry check takes its "now" from here. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand, to expire links and keys without waiting. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.now()) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

const japanDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Japan ('YYYY-MM-DD'): the date every availability rule is judged by. */
export function todayInJapan(nowMs: number): string {
  const parts = Object.fromEntries(japanDate.formatToParts(new Date(nowMs)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
