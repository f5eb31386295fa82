import { describe, expect, it } from 'vitest'
import { cookieJar, defaultPath } from './cookies.js'

const NOW = Date.parse('2026-12-03T12:00:00Z')

describe('cookies of a request', () => {
  it('keeps the last value of a name, lists by path then name, as Python cookie jar', () => {
    const jar = cookieJar(
      [
        ['HTTP/1.1 302 Found', 'Set-Cookie: sid=1; Path=/', 'Location: /home'],
        ['HTTP/1.1 200 OK', 'set-cookie: zeta=z', 'Set-Cookie: alpha=a; HttpOnly', 'Set-Cookie: sid=2; Path=/'],
      ],
      '/app/login',
      NOW,
    )
    expect(jar.cookies).toEqual({ sid: '2', alpha: 'a', zeta: 'z' })
    expect(jar.cookies_string).toBe('sid=2; alpha=a; zeta=z')
  })
  it('an expired cookie (Max-Age 0, Expires in the past) removes it', () => {
    const jar = cookieJar(
      [
        ['HTTP/1.1 200 OK', 'Set-Cookie: a=1; Path=/', 'Set-Cookie: b=2; Path=/', 'Set-Cookie: c=3; Path=/'],
        [
          'HTTP/1.1 200 OK',
          'Set-Cookie: a=; Max-Age=0; Path=/',
          'Set-Cookie: b=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
        ],
      ],
      '/',
      NOW,
    )
    expect(jar).toEqual({ cookies: { c: '3' }, cookies_string: 'c=3' })
  })
  it('none: an empty jar', () => {
    expect(cookieJar([['HTTP/1.1 200 OK', 'Content-Type: text/plain']], '/')).toEqual({
      cookies: {},
      cookies_string: '',
    })
  })
  it.each([
    ['/', '/'],
    ['/login', '/'],
    ['/a/b/c', '/a/b'],
    ['', '/'],
  ])('default path of %j: %j', (p, want) => {
    expect(defaultPath(p)).toBe(want)
  })
})
