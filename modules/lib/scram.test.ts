import { describe, expect, it } from 'vitest'
import { isScramVerifier, parseScram, scramMatches, scramVerifier } from './scram.js'

// Produced by a real PostgreSQL 15 server: CREATE ROLE vecN PASSWORD '…'; SELECT rolpassword FROM pg_authid.
const PG = [
  [
    'pencil',
    'SCRAM-SHA-256$4096:/l50lHKp6YYB9N0jp8QNZg==$' +
      'UkQRTXtfhezJg8clPpU2VfCzJdB3crox3onELV6tfeg=:DG+NAXKdtnHBIysMTvc82cHMTvYtobkR38wYpHuHEzs=',
  ],
  [
    'correct horse battery staple',
    'SCRAM-SHA-256$4096:ddMZMoGQFp5w59spmu73Kw==$' +
      'QB7THZIJEUQ8zmPCUbB5XVItFoZ18PyJ8WN8W9L5wM0=:4VH24wKH0k2YdA9Z0SOAD4PkhyhFiYDVUV7ZoqNOxK8=',
  ],
  [
    'pässwörd',
    'SCRAM-SHA-256$4096:Q6UTVeMK5+bTw8QOwcrsLg==$' +
      '1kJmcOV/6ijn6cif8J1H0xteny8hn/Sns0hUriVI5hk=:3Wb0QQI7OYfxXm2of13GChioR1uToXSDvE1fAH8tiJs=',
  ],
] as const

describe('SCRAM-SHA-256 verifiers', () => {
  it.each(PG)("reproduces PostgreSQL's verifier for %j from its salt", (password, stored) => {
    const p = parseScram(stored)!
    expect(scramVerifier(password, p.salt, p.iterations)).toBe(stored)
    expect(scramMatches(stored, password)).toBe(true)
  })

  it.each(PG)('rejects a wrong password for %j', (password, stored) => {
    expect(scramMatches(stored, password + 'x')).toBe(false)
    expect(scramMatches(stored, password.toUpperCase())).toBe(false)
  })

  it('makes well-formed verifiers that differ by salt', () => {
    const a = scramVerifier('s', Buffer.alloc(16, 1))
    const b = scramVerifier('s', Buffer.alloc(16, 2))
    expect(isScramVerifier(a)).toBe(true)
    expect(a).not.toBe(b)
    expect(scramMatches(a, 's') && scramMatches(b, 's')).toBe(true)
  })

  it.each(['md5abcdef', '', 'SCRAM-SHA-256$4096:x$' + 'y', "SCRAM-SHA-256$4096:AA==$AA==:AA=='"])(
    'does not parse %j',
    (s) => {
      expect(parseScram(s)).toBeUndefined()
      expect(scramMatches(s, 'anything')).toBe(false)
    },
  )
})
