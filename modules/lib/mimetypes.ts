/**
 * The media type of a file name, guessed as Python's `mimetypes.guess_type(name, strict=False)` guesses it (what
 * Ansible's `uri` puts on a `form-multipart` file part that names no `mime_type`): compression suffixes peeled off
 * (`.tgz` is `.tar.gz`, `.gz` an encoding), the extension looked up in Python's built-in table overridden by the
 * host's `mime.types` files, then in its short list of common non-standard types.
 *
 * @example
 * ```ts
 * guessType('/tmp/notes.txt')                  // 'text/plain'
 * guessType('a.tar.gz')                        // 'application/x-tar'
 * guessType('x.md', ['text/markdown md'])     // 'text/markdown'
 * ```
 */

/** Python 3.11's built-in table (`type ext ext …`, entries split by `;`). */
const BUILT_IN = [
  'application/javascript js mjs; application/json json; application/manifest+json webmanifest',
  'application/msword doc dot wiz; application/n-quads nq; application/n-triples nt',
  'application/octet-stream bin a dll exe o obj so; application/oda oda; application/pdf pdf',
  'application/pkcs7-mime p7c; application/postscript ps ai eps; application/trig trig',
  'application/vnd.apple.mpegurl m3u m3u8; application/vnd.ms-excel xls xlb',
  'application/vnd.ms-powerpoint ppt pot ppa pps pwz; application/wasm wasm; application/x-bcpio bcpio',
  'application/x-cpio cpio; application/x-csh csh; application/x-dvi dvi; application/x-gtar gtar',
  'application/x-hdf hdf; application/x-hdf5 h5; application/x-latex latex; application/x-mif mif',
  'application/x-netcdf cdf nc; application/x-pkcs12 p12 pfx; application/x-pn-realaudio ram',
  'application/x-python-code pyc pyo; application/x-sh sh; application/x-shar shar',
  'application/x-shockwave-flash swf; application/x-sv4cpio sv4cpio; application/x-sv4crc sv4crc',
  'application/x-tar tar; application/x-tcl tcl; application/x-tex tex',
  'application/x-texinfo texi texinfo; application/x-troff roff t tr; application/x-troff-man man',
  'application/x-troff-me me; application/x-troff-ms ms; application/x-ustar ustar',
  'application/x-wais-source src; application/xml xsl rdf wsdl xpdl; application/zip zip',
  'audio/3gpp 3gp 3gpp; audio/3gpp2 3g2 3gpp2; audio/aac aac adts loas ass; audio/basic au snd',
  'audio/mpeg mp3 mp2; audio/opus opus; audio/x-aiff aif aifc aiff; audio/x-pn-realaudio ra',
  'audio/x-wav wav; image/avif avif; image/bmp bmp; image/gif gif; image/ief ief',
  'image/jpeg jpg jpe jpeg; image/heic heic; image/heif heif; image/png png; image/svg+xml svg',
  'image/tiff tiff tif; image/vnd.microsoft.icon ico; image/x-cmu-raster ras',
  'image/x-portable-anymap pnm; image/x-portable-bitmap pbm; image/x-portable-graymap pgm',
  'image/x-portable-pixmap ppm; image/x-rgb rgb; image/x-xbitmap xbm; image/x-xpixmap xpm',
  'image/x-xwindowdump xwd; message/rfc822 eml mht mhtml nws; text/css css; text/csv csv',
  'text/html html htm; text/n3 n3; text/plain txt bat c h ksh pl srt; text/richtext rtx',
  'text/tab-separated-values tsv; text/vtt vtt; text/x-python py; text/x-setext etx',
  'text/x-sgml sgm sgml; text/x-vcard vcf; text/xml xml; video/mp4 mp4; video/mpeg mpeg m1v mpa mpe mpg',
  'video/quicktime mov qt; video/webm webm; video/x-msvideo avi; video/x-sgi-movie movie',
].join(';')

/** Python's non-strict extras, used only when no table knows the extension. */
const COMMON: Record<string, string> = {
  '.rtf': 'application/rtf',
  '.midi': 'audio/midi',
  '.mid': 'audio/midi',
  '.jpg': 'image/jpg',
  '.pict': 'image/pict',
  '.pct': 'image/pict',
  '.pic': 'image/pict',
  '.webp': 'image/webp',
  '.xul': 'text/xul',
}

const SUFFIXES: Record<string, string> = {
  '.svgz': '.svg.gz',
  '.tgz': '.tar.gz',
  '.taz': '.tar.gz',
  '.tz': '.tar.gz',
  '.tbz2': '.tar.bz2',
  '.txz': '.tar.xz',
}
const ENCODINGS = new Set(['.gz', '.Z', '.bz2', '.xz', '.br'])

/** The files Python reads at start, in order (a later one overrides an earlier one). */
export const MIME_FILES = [
  '/etc/mime.types',
  '/etc/httpd/mime.types',
  '/etc/httpd/conf/mime.types',
  '/etc/apache/mime.types',
  '/etc/apache2/mime.types',
  '/usr/local/etc/httpd/conf/mime.types',
  '/usr/local/lib/netscape/mime.types',
  '/usr/local/etc/mime.types',
] as const

/** Add the `type ext …` lines of a `mime.types` text to `map` (from a word starting with `#` on: a comment). */
function readTable(text: string, map: Map<string, string>, sep: RegExp): void {
  for (const line of text.split(sep)) {
    const words = line.split(/\s+/).filter((w) => w !== '')
    const hash = words.findIndex((w) => w.startsWith('#'))
    const [type, ...exts] = hash < 0 ? words : words.slice(0, hash)
    if (!type) continue
    for (const e of exts) map.set(`.${e}`, type)
  }
}

/** Python's `posixpath.splitext`: the extension of the last name, leading dots not counted. */
function splitExt(p: string): [string, string] {
  const name = p.slice(p.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot < 0 || /^\.*$/.test(name.slice(0, dot))) return [p, '']
  const cut = p.length - name.length + dot
  return [p.slice(0, cut), p.slice(cut)]
}

/** The guessed type, or undefined; `tables`: the host's `mime.types` texts in `MIME_FILES` order. */
export function guessType(path: string, tables: readonly string[] = []): string | undefined {
  const map = new Map<string, string>()
  readTable(BUILT_IN, map, /;/)
  for (const t of tables) readTable(t, map, /\n/)
  let [base, ext] = splitExt(path)
  while (SUFFIXES[ext.toLowerCase()]) [base, ext] = splitExt(base + SUFFIXES[ext.toLowerCase()])
  if (ENCODINGS.has(ext)) ext = splitExt(base)[1]
  ext = ext.toLowerCase()
  return map.get(ext) ?? COMMON[ext]
}
