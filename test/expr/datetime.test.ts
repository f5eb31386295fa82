/**
 * Datetime values (`to_datetime`, `now()`) inside expressions, and what templates hand out: their text, as
 * Ansible's templating gives it. What they print and compute is checked against ansible-core in ansible-cases.json.
 */
import { describe, expect, it } from 'vitest'
import { evalExpr } from '../../engine/expr.js'
import { renderString, renderValue } from '../../engine/template.js'

const D = "('2016-08-14 20:00:12' | to_datetime)"
const E = "('2015-12-25' | to_datetime('%Y-%m-%d'))"
const A = "('2024-03-01T12:00:00+0100' | to_datetime('%Y-%m-%dT%H:%M:%S%z'))"

describe('datetime values', () => {
  it.each([
    [`${D} is mapping`, false],
    [`${D} is string`, false],
    [`(${D} - ${E}).days`, 233],
    [`${D} - ${E} > ${E} - ${D}`, true],
    [`${D} - ${D} == ${E} - ${E}`, true],
    [`(${D} - ${D}) | bool`, false],
    [`${D}.strftime('%s') | int > 0`, true],
    [`[${D}] | to_json`, '["2016-08-14T20:00:12"]'],
    [`${D}.isoformat(' ')`, '2016-08-14 20:00:12'],
    [`${D}.isoweekday()`, 7],
    [`${D}.isocalendar()`, [2016, 32, 7]],
    [`${D}.isocalendar().weekday`, 7],
    [`${D}.date().isocalendar()[-3]`, 2016],
    [`${D}.toordinal() - ${E}.date().toordinal()`, 233],
    [`${E}.ctime()`, 'Fri Dec 25 00:00:00 2015'],
  ])('%s → %j', (src, want) => {
    expect(evalExpr(src, {})).toEqual(want)
  })

  it.each([
    [`${D}.replace(month=2, day=30)`, 'day is out of range for month'],
    [`${D}.replace(2021, 2, 29)`, 'day is out of range for month'],
    [`${D}.replace(year=0)`, 'year 0 is out of range'],
    [`${D}.replace(second=60)`, 'second must be in 0..59'],
    [`${D}.replace(year=none)`, "'NoneType' object cannot be interpreted as an integer"],
    [`${D}.replace(2020, year=2021)`, "argument for replace() given by name ('year') and position (1)"],
    [`${D}.date().replace(1, 2, 3, 4)`, 'replace() takes at most 3 arguments (4 given)'],
    [`${D}.time().replace(second=0, day=1)`, "'day' is an invalid keyword argument for replace()"],
    [`${D}.replace(fold=2)`, 'fold must be either 0 or 1'],
    [`${D}.replace(tzinfo='+01:00')`, "tzinfo argument must be None or of a tzinfo subclass, not type 'str'"],
    [`${D}.astimezone(1)`, "tzinfo argument must be None or of a tzinfo subclass, not type 'int'"],
    [`${D}.astimezone(${A}.tzinfo, tz=none)`, "argument for astimezone() given by name ('tz') and position (1)"],
    [`${A}.tzinfo.utcoffset(1)`, 'utcoffset(dt) argument must be a datetime instance or None, not int'],
    [`${A}.tzinfo.dst(dt=none)`, 'timezone.dst() takes no keyword arguments'],
    [`${A}.timetz() < ${A}.time()`, "can't compare offset-naive and offset-aware times"],
    [`${D}.date().strftime()`, "strftime() missing required argument 'format' (pos 1)"],
    [`${D}.date().replace(1, 1, 1) + (${E} - ${D})`, 'date value out of range'],
    [`${D}.toordinal(1)`, 'datetime.toordinal() takes no arguments (1 given)'],
    [`${D}.date().isocalendar(x=1)`, 'date.isocalendar() takes no keyword arguments'],
    [`${D}.date().ctime(1, 2)`, 'date.ctime() takes no arguments (2 given)'],
  ])('%s fails with Python’s error: %s', (src, msg) => {
    expect(() => evalExpr(src, {})).toThrow(msg)
  })

  it('a template gives their text, also inside a list or a map', () => {
    expect(renderValue(`{{ ${D} }}`, {})).toBe('2016-08-14 20:00:12')
    expect(renderValue(`{{ [${D}, {'d': ${D} - ${E}}] }}`, {})).toEqual([
      '2016-08-14 20:00:12',
      { d: '233 days, 20:00:12' },
    ])
    expect(renderValue({ when: `{{ ${E} }}`, n: 1 }, {})).toEqual({ when: '2015-12-25 00:00:00', n: 1 })
    // Python's text of a named tuple does not read back as a literal, so Ansible keeps the text
    expect(renderValue(`{{ ${D}.isocalendar() }}`, {})).toBe('datetime.IsoCalendarDate(year=2016, week=32, weekday=7)')
    expect(renderValue(`{{ ${D}.isocalendar() | list }}`, {})).toEqual([2016, 32, 7])
  })

  it('a variable holding one is its text when used, as in Ansible', () => {
    const vars = { d: `{{ ${D} }}` }
    expect(evalExpr('d', vars)).toBe('2016-08-14 20:00:12')
    expect(() => evalExpr(`d - ${E}`, vars)).toThrow(/unsupported operand/)
  })

  it.each([
    [
      'Europe/Paris',
      `[${D}.astimezone()]`,
      "[datetime.datetime(2016, 8, 14, 20, 0, 12, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200), 'CEST'))]",
    ],
    ['Europe/Paris', `${E}.astimezone().strftime('%H:%M %z %Z')`, '00:00 +0100 CET'],
    // a time the spring change skips is read at the later offset, then shown at the one its instant has
    ['Europe/Paris', "('2024-03-31 02:30:00' | to_datetime).astimezone()", '2024-03-31 01:30:00+01:00'],
    ['Australia/Sydney', "('2024-04-07 02:30:00' | to_datetime).astimezone().tzname()", 'AEDT'],
    ['America/New_York', `${A}.astimezone()`, '2024-03-01 06:00:00-05:00'],
    ['America/New_York', `${A}.astimezone().tzinfo`, 'EST'],
    ['Asia/Dubai', `${A}.astimezone().tzname()`, '+04'],
    ['UTC', `[${A}.astimezone().tzinfo]`, "[datetime.timezone(datetime.timedelta(0), 'UTC')]"],
  ])('astimezone() gives the controller’s zone as Python names it (TZ=%s): %s', (tz, src, want) => {
    const was = process.env.TZ
    process.env.TZ = tz
    try {
      expect(renderString(`{{ ${src} }}`, {}, { engine: 'jinja' })).toBe(want)
    } finally {
      if (was === undefined) delete process.env.TZ
      else process.env.TZ = was
    }
  })

  it('refuses what Python refuses', () => {
    expect(() => evalExpr(`${D} + 1`, {})).toThrow(/unsupported operand types for \+/)
    expect(() => evalExpr(`${D} < 1`, {})).toThrow(/not supported/)
    expect(() => evalExpr(`${D}.nosuch()`, {})).toThrow(/'datetime' object has no attribute 'nosuch'/)
    expect(evalExpr(`${D}.nosuch is defined`, {})).toBe(false)
  })
})
