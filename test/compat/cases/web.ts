/**
 * Agreement cases for `uri` and `unarchive` (what Ansible's integration targets of those names pin down), written
 * here. `uri` talks to the loopback HTTP server the agreement test starts (`WEB_ROUTES`, its URL in the `web`
 * variable); `unarchive` unpacks archives the play makes on the target (the target is this machine, so a path under
 * `root` is also a controller file).
 */
import { readFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import type { CompatCase } from '../harness.js'
import type { Seen } from '../../helpers/web.js'

const play = (name: string, tasks: string) => `- hosts: ${name}\n  gather_facts: false\n  tasks:\n${tasks}`

/** Files a case made at run time (its `setup`), served as they are at their path (`/keys/….asc`). */
export const SERVED = new Map<string, Uint8Array>()

/** The answers of the test server the `uri` case talks to. */
function serveFile(file: string, res: ServerResponse): void {
  try {
    res.end(readFileSync(file))
  } catch {
    res.writeHead(404).end('no such file')
  }
}

export function WEB_ROUTES(req: Seen, res: ServerResponse): void {
  const path = req.url.split('?')[0]
  const served = SERVED.get(path)
  if (served) res.end(served)
  else if (path.startsWith('/file/') && path.includes('/tsplay-compat/') && !path.includes('/../'))
    // a file a case made on the target (this machine), served back: a .deb for apt's `deb` URL
    serveFile(decodeURIComponent(path.slice('/file'.length)), res)
  else if (path === '/json' && String(req.headers.cookie ?? '').includes('sid='))
    res
      .writeHead(200, {
        'Content-Type': 'application/json',
        'Set-Cookie': ['theme=dark; Path=/', 'old=; Max-Age=0; Path=/', 'sid=two; Path=/; HttpOnly'],
      })
      .end('{"a": [1, 2], "who": "me"}')
  else if (path === '/json') res.setHeader('Content-Type', 'application/json').end('{"a": [1, 2], "who": "me"}')
  else if (path === '/echo') res.setHeader('Content-Type', 'text/plain').end(`${req.method} ${req.body}`)
  else if (path === '/multipart') {
    // the request as received, its random boundary replaced: what both engines sent can be compared byte for byte
    const type = String(req.headers['content-type'])
    const b = /boundary="([^"]+)"/.exec(type)?.[1] ?? 'no boundary'
    res.setHeader('Content-Type', 'text/plain').end(`${type.replaceAll(b, 'B')}\n${req.body.replaceAll(b, 'B')}`)
  } else if (path === '/lines') res.end(`one\ntwo ${String(req.headers['x-who'] ?? '')}\n`)
  else if (path === '/moved') res.writeHead(302, { Location: '/json' }).end()
  else if (/^\/hop\/30[12378]$/.test(path)) res.writeHead(Number(path.slice(5)), { Location: '/seen' }).end()
  else if (path === '/seen') {
    // what the request that reached the end of a redirect carried
    const h = (k: string) => String(req.headers[k] ?? '')
    const seen = { method: req.method, keep: h('x-keep'), drop: h('x-drop'), auth: h('authorization') ? 'yes' : '' }
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ ...seen, type: h('content-type'), body: req.body }))
  } else if (path === '/login')
    res.writeHead(302, { Location: '/json', 'Set-Cookie': ['sid=one; Path=/', 'old=x; Path=/'] }).end()
  else if (path === '/file.bin') res.setHeader('Content-Disposition', 'attachment; filename="named.txt"').end('data\n')
  else if (path === '/auth') {
    if (req.headers.authorization === `Basic ${Buffer.from('u:s3cret').toString('base64')}`) res.end('welcome')
    else res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="t"' }).end('who?')
  } else res.writeHead(404).end('no such page')
}

export const WEB: CompatCase[] = [
  {
    name: 'uri',
    covers: 'uri (also the cookies of a redirect chain)',
    clean: true,
    files: {
      'main.yml': play(
        'uri',
        `
    - uri: { url: "{{ web }}/json" }
      register: r
    - uri: { url: "{{ web }}/login" }
      register: jar
    - assert:
        that:
          - "jar.cookies == {'sid': 'two', 'theme': 'dark'}"
          - jar.cookies_string == 'sid=two; theme=dark'
    - assert:
        that:
          - r.status == 200
          - r.json.a == [1, 2]
          - r.content is not defined
          - not r.changed
          - not r.redirected
          - r.content_type == 'application/json'
          - r.msg == 'OK (26 bytes)'
          - r.url == web + '/json'
    - uri:
        url: "{{ web }}/echo"
        method: POST
        body_format: json
        body: { x: "y z" }
        return_content: true
      register: e
    - assert: { that: ["e.content == 'POST {\\"x\\": \\"y z\\"}'"] }
    - uri:
        url: "{{ web }}/echo"
        method: post
        body_format: form-urlencoded
        body: { q: "a b", n: [1, 2] }
        return_content: true
      register: f
    - assert: { that: ["f.content == 'POST q=a+b&n=1&n=2'"] }
    - uri: { url: "{{ web }}/moved" }
      register: m
    - assert: { that: ["m.redirected", "m.url == web + '/json'", "m.json.who == 'me'"] }
    - uri: { url: "{{ web }}/moved", follow_redirects: none, status_code: [302] }
      register: n
    - assert: { that: ["n.status == 302", "n.location == web + '/json'"] }
    - uri: { url: "{{ web }}/nope" }
      register: bad
      ignore_errors: true
    - assert:
        that:
          - bad is failed
          - bad.status == 404
          - "bad.msg == 'Status code was 404 and not [200]: HTTP Error 404: Not Found'"
    - uri: { url: "{{ web }}/nope", status_code: "200,404" }
      register: listed
    - assert: { that: [listed.status == 404] }
    - uri:
        url: "{{ web }}/auth"
        url_username: u
        url_password: s3cret
        force_basic_auth: true
        return_content: true
      register: a1
    - uri: { url: "{{ web }}/auth", user: u, password: s3cret, return_content: true }
      register: a2
    - assert: { that: ["a1.content == 'welcome'", "a2.content == 'welcome'"] }
    - uri: { url: "{{ web }}/json", dest: "{{ root }}/out.json", mode: "0640" }
      register: d
    - assert: { that: ["d.changed", "d.path == root + '/out.json'", "d.json.who == 'me'"] }
    - uri: { url: "{{ web }}/file.bin", dest: "{{ root }}/" }
    - uri: { url: "{{ web }}/json", creates: "{{ root }}/out.json" }
      register: c
    - assert: { that: ["c.status is not defined", "not c.changed"] }
    - uri: { url: "{{ web }}/json", removes: "{{ root }}/none" }
    - uri: { url: "http://127.0.0.1:9/", timeout: 5 }
      register: down
      ignore_errors: true
    - assert: { that: ["down.status == -1"] }
`,
      ),
    },
  },
  {
    name: 'uri_multipart',
    covers: 'uri',
    clean: true,
    files: {
      'files/formdata.txt': '_multipart/form-data_\n',
      'main.yml': play(
        'uri_multipart',
        `
    - uri:
        url: "{{ web }}/multipart"
        method: POST
        body_format: form-multipart
        headers: { Content-Type: text/x-ignored }
        body:
          file1:
            filename: formdata.txt
          file2:
            content: text based file content
            filename: fake.txt
            mime_type: text/plain
          notes: { content: "# title\\nline\\n", filename: sub/notes.md }
          text_form_field1: value1
          text_form_field2:
            content: value2
            mime_type: text/plain
        dest: "{{ root }}/sent.txt"
        return_content: true
      register: mp
    - assert:
        that:
          - mp.status == 200
          - "mp.content.startswith('multipart/form-data; boundary=')"
          - "'X211bHRpcGFydC9mb3JtLWRhdGFfCg==' in mp.content"
    - uri:
        url: "{{ web }}/multipart"
        method: POST
        body_format: form-multipart
        body: { integer_value: 1 }
      register: bad
      failed_when: >-
        bad.msg != "failed to parse body as form-multipart: value must be a string, or mapping, cannot be type int"
    - uri: { url: "{{ web }}/multipart", method: POST, body_format: form-multipart, body: [a] }
      register: notmap
      ignore_errors: true
    - assert: { that: ["notmap is failed", "notmap.msg == 'body must be mapping, cannot be type list'"] }
`,
      ),
    },
  },
  {
    name: 'get_url_named',
    covers: 'get_url (a folder dest: the file named by Content-Disposition)',
    clean: true,
    files: {
      'main.yml': play(
        'get_url_named',
        `
    - file: { path: "{{ root }}/into", state: directory, mode: "0755" }
    - get_url: { url: "{{ web }}/file.bin", dest: "{{ root }}/into" }
      register: named
    - get_url: { url: "{{ web }}/file.bin", dest: "{{ root }}/into/" }
      register: again
    - assert: { that: ["named.dest == root + '/into/named.txt'", "again is not changed"] }
`,
      ),
    },
  },
  {
    name: 'web_unredirected',
    covers: 'uri and get_url unredirected_headers: the named headers only on the first request, by redirect code',
    clean: true,
    files: {
      'main.yml': play(
        'web_unredirected',
        `
    - uri:
        url: "{{ web }}/hop/302"
        headers: { X-Keep: k, X-Drop: d }
        unredirected_headers: [x-drop]
      register: a
    - uri: { url: "{{ web }}/hop/302", headers: { X-Keep: k, X-Drop: d } }
      register: b
    - assert:
        that:
          - "a.json == {'method': 'GET', 'keep': 'k', 'drop': '', 'auth': '', 'type': '', 'body': ''}"
          - a.redirected
          - a.url == web + '/seen'
          - b.json.drop == 'd'
    - uri:
        url: "{{ web }}/hop/307"
        method: POST
        body_format: json
        body: { x: 1 }
        headers: { X-Drop: d, X-Keep: k }
        unredirected_headers: [X-DROP]
        follow_redirects: all
      register: c
    - uri:
        url: "{{ web }}/hop/302"
        method: POST
        body_format: json
        body: { x: 1 }
        headers: { X-Drop: d }
        unredirected_headers: [x-drop]
        follow_redirects: all
      register: d
    - uri:
        url: "{{ web }}/hop/301"
        method: PUT
        body: text
        unredirected_headers: [x-none]
        follow_redirects: all
      register: e
    - uri:
        url: "{{ web }}/hop/303"
        url_username: u
        url_password: s3cret
        force_basic_auth: true
        unredirected_headers: [Authorization]
      register: f
    - uri: { url: "{{ web }}/hop/308", url_username: u, url_password: s3cret, force_basic_auth: true }
      register: g
    - assert:
        that:
          - c.json.method == 'POST' and c.json.keep == 'k' and c.json.drop == ''
          - "c.json.type == 'application/json' and c.json.body == '{\\"x\\": 1}'"
          - "d.json == {'method': 'GET', 'keep': '', 'drop': '', 'auth': '', 'type': '', 'body': ''}"
          - "e.json == {'method': 'PUT', 'keep': '', 'drop': '', 'auth': '', 'type': '', 'body': ''}"
          - f.json.auth == ''
          - g.json.auth == 'yes'
          - g.url == web + '/seen'
    - uri: { url: "{{ web }}/login", unredirected_headers: [x-none] }
      register: jar
    - assert: { that: ["jar.cookies == {'sid': 'two', 'theme': 'dark'}", "jar.json.who == 'me'"] }
    - get_url:
        url: "{{ web }}/hop/302"
        dest: "{{ root }}/seen.json"
        headers: { X-Keep: k, X-Drop: d }
        unredirected_headers: [X-Drop]
    - assert:
        that: "lookup('file', root + '/seen.json') | from_json == a.json"
`,
      ),
    },
  },
  {
    name: 'uri_src',
    covers: 'uri (src, remote_src)',
    clean: true,
    files: {
      'files/pass0.json': '["JSON Test Pattern pass1", "é"]\n',
      'main.yml': play(
        'uri_src',
        `
    - uri: { url: "{{ web }}/echo", method: POST, src: pass0.json, body_format: json, return_content: true }
      register: r
    - copy: { content: "remote\\nbody\\n", dest: "{{ root }}/body.txt" }
    - uri: { url: "{{ web }}/echo", method: PUT, src: "{{ root }}/body.txt", remote_src: true, return_content: true }
      register: r2
    - uri: { url: "{{ web }}/echo", method: POST, src: "{{ root }}/nope.txt", remote_src: true }
      register: r3
      ignore_errors: true
    - uri: { url: "{{ web }}/echo", method: POST, src: nope.json }
      register: r4
      ignore_errors: true
    - assert:
        that:
          - r.content == 'POST ["JSON Test Pattern pass1", "é"]\\n'
          - r2.content == 'PUT remote\\nbody\\n'
          - r3 is failed
          - r3.msg == 'Unable to open source file ' + root + '/nope.txt'
          - r4 is failed
`,
      ),
    },
  },
  {
    name: 'web_ciphers',
    covers: 'get_url, uri (ciphers)',
    clean: true,
    files: {
      'main.yml': play(
        'web_ciphers',
        `
    - get_url:
        url: "{{ webs }}/json"
        ciphers: ECDHE-RSA-AES128-SHA256
        validate_certs: false
        dest: "{{ root }}/good.json"
      register: good
    - get_url:
        url: "{{ webs }}/json"
        ciphers: ECDHE-ECDSA-AES128-SHA
        validate_certs: false
        dest: "{{ root }}/bad.json"
      register: bad
      failed_when: bad is not failed
    - uri: { url: "{{ webs }}/json", validate_certs: false, ciphers: [ECDHE-ECDSA-AES128-SHA, ECDHE-RSA-AES128-SHA256] }
      register: ugood
    - uri: { url: "{{ webs }}/moved", validate_certs: false, ciphers: "ECDHE-ECDSA-AES128-SHA,ECDHE-ECDSA-AES256-SHA" }
      register: ubad
      failed_when: ubad is not failed
    - uri: { url: "{{ web }}/json", ciphers: ECDHE-ECDSA-AES128-SHA }
      register: plain
    - assert: { that: ["good is succeeded", "ugood.json.who == 'me'", "ubad.status == -1", "plain.status == 200"] }
`,
      ),
    },
  },
  {
    name: 'unarchive',
    covers: 'unarchive (also a URL src with remote_src, downloaded on the host)',
    files: {
      'main.yml': play(
        'unarchive',
        `
    - file: { path: "{{ root }}/src/app/bin", state: directory, mode: "0755" }
    - copy: { dest: "{{ root }}/src/app/README", content: "read me\\n", mode: "0644" }
    - copy: { dest: "{{ root }}/src/app/bin/run", content: "#!/bin/sh\\n", mode: "0755" }
    - copy: { dest: "{{ root }}/src/app/skip.log", content: "log\\n", mode: "0644" }
    - command: tar -czf ../a.tgz app
      args: { chdir: "{{ root }}/src", creates: "{{ root }}/a.tgz" }
    - command: tar -cJf ../a.tar.xz app
      args: { chdir: "{{ root }}/src", creates: "{{ root }}/a.tar.xz" }
    - command: zip -q -r ../a.zip app
      args: { chdir: "{{ root }}/src", creates: "{{ root }}/a.zip" }
    - file: { path: "{{ root }}/{{ item }}", state: directory, mode: "0755" }
      loop: [t1, t2, t3, x1, z1, u1]
    - unarchive: { src: "{{ root }}/a.tgz", dest: "{{ root }}/t1" }
      register: u1
    - unarchive: { src: "{{ root }}/a.tgz", dest: "{{ root }}/t1", list_files: true }
      register: u1b
    - assert:
        that:
          - u1.handler == 'TgzArchive'
          - not u1b.changed
          - "'app/bin/run' in u1b.files"
    - unarchive:
        src: "{{ root }}/a.tgz"
        dest: "{{ root }}/t2"
        remote_src: true
        extra_opts: [--strip-components=1]
        exclude: ["*.log"]
        mode: "u=rwX,g=rX,o="
        list_files: true
      register: u2
    - assert: { that: ["'README' in u2.files", "'skip.log' not in u2.files"] }
    - unarchive: { src: "{{ root }}/a.tar.xz", dest: "{{ root }}/x1", copy: false }
      register: x
    - assert: { that: ["x.handler == 'TarArchive'"] }
    - unarchive: { src: "{{ root }}/a.zip", dest: "{{ root }}/z1", list_files: true }
      register: z
    - unarchive: { src: "{{ root }}/a.zip", dest: "{{ root }}/z1", remote_src: true }
      register: z2
    - assert: { that: ["z.handler == 'ZipArchive'", "'app/README' in z.files", "not z2.changed"] }
    - unarchive: { src: "{{ root }}/a.tgz", dest: "{{ root }}/t3", creates: "{{ root }}/t1/app/README" }
    - unarchive: { src: "{{ root }}/missing.tgz", dest: "{{ root }}/t3", remote_src: true }
      ignore_errors: true
    - unarchive: { src: "{{ root }}/a.tgz", dest: "{{ root }}/nodir" }
      ignore_errors: true
    - unarchive: { src: "{{ web }}/file{{ root }}/a.tgz", dest: "{{ root }}/u1", remote_src: true }
      check_mode: true
    - unarchive: { src: "{{ web }}/file{{ root }}/a.tgz", dest: "{{ root }}/u1", remote_src: true, list_files: true }
      register: url_first
    - unarchive: { src: "{{ web }}/file{{ root }}/a.tgz", dest: "{{ root }}/u1", remote_src: true }
      register: url_again
    - unarchive: { src: "{{ web }}/file{{ root }}/none.tgz", dest: "{{ root }}/u1", remote_src: true }
      register: url_missing
      ignore_errors: true
    - assert:
        that:
          - "'app/README' in url_first.files"
          - url_again is not changed
          - url_missing is failed
    - file: { path: "{{ root }}/{{ item }}", state: absent }
      loop: [a.tgz, a.tar.xz, a.zip]
`,
      ),
    },
  },
]
