import { describe, expect, it } from 'vitest'
import { makedev, parseAttributes, pythonTime } from './statdetail.js'

describe('stat detail', () => {
  it.each([
    ['1796445395.769107300', 1796445395.7691073],
    ['1796445356.426562000', 1796445356.426562],
    ['1700000000.999999999', 1700000001.0],
    ['1796445356.4265620000', 1796445356.426562], // find's %T@ has ten digits
    ['12', 12],
  ])('time %s as Python computes st_mtime', (text, want) => expect(pythonTime(text)).toBe(want))

  it.each([
    [1, 3, 259],
    [259, 0, 66304],
    [8, 1, 2049],
    [4096, 256, 17592187092992],
  ])('makedev(%i, %i) is os.makedev', (major, minor, want) => expect(makedev(major, minor)).toBe(want))

  it("parses lsattr's answer as Ansible reads it", () => {
    const want = { version: '2407009726', attr_flags: 'e', attributes: ['extents'] }
    expect(parseAttributes('2407009726 --------------e------- /x\n')).toEqual(want)
    expect(parseAttributes('-\n')).toEqual({ version: null, attr_flags: '', attributes: [] })
    const flags = parseAttributes('1 ----ia-----------e---- /x y\n')
    expect(flags).toEqual({ version: '1', attr_flags: 'iae', attributes: ['immutable', 'append', 'extents'] })
  })
})
