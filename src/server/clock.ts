/** Time as the app sees it, in epoch seconds. Tests pass their own clock to move time. */
export interface Clock {
  now: () => number
}

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) }
