import { describe, expect, test } from 'vitest'
import { EventBus, type Reporter } from '../../engine/events.js'
import { JsonReporter } from '../../engine/report/json.js'
import { LiveReporter } from '../../engine/report/live.js'
import { PlainReporter } from '../../engine/report/plain.js'

/** Which `host.log` levels a bus with these subscribers asks its callers to build. */
const levels = (...subs: Reporter[]) => {
  const bus = new EventBus()
  for (const s of subs) bus.subscribe(s)
  return [0, 1, 2, 3].filter((l) => bus.wants(l))
}

describe('the event bus asks for log lines only when a reporter shows them', () => {
  test('JSON output shows none: no line is built', () => {
    expect(levels(new JsonReporter(() => undefined))).toEqual([])
  })

  test('plain output: up to its verbosity (level 0, progress, always)', () => {
    expect(levels(new PlainReporter({ verbosity: 0, diff: false, write: () => undefined }))).toEqual([0])
    expect(levels(new PlainReporter({ verbosity: 2, diff: false, write: () => undefined }))).toEqual([0, 1, 2])
  })

  test('the live view shows commands without -v, their output with -vv', () => {
    expect(levels(new LiveReporter({ verbosity: 0, diff: false }))).toEqual([0, 1])
    expect(levels(new LiveReporter({ verbosity: 2, diff: false }))).toEqual([0, 1, 2])
  })

  test('a subscriber that does not say gets every level; the most verbose subscriber decides', () => {
    expect(levels({ handle: () => undefined })).toEqual([0, 1, 2, 3])
    expect(levels(new JsonReporter(() => undefined), new PlainReporter({ verbosity: 1, diff: false }))).toEqual([0, 1])
  })

  test('no subscriber: nothing is asked for', () => {
    expect(levels()).toEqual([])
  })
})
