/**
 * Asks a playbook's `vars_prompt` questions before the run, as ansible-playbook does: each play's entries in order,
 * `PROMPT [DEFAULT]: ` (PROMPT defaults to the variable's name), no echo unless `private: false`, asked twice with
 * `confirm` until both answers match, an empty answer taking the default. A variable given with `-e` is not asked.
 * When standard input is not a terminal nothing is asked: the default is used (with Ansible's warning), and an entry
 * without a default is refused before any host is contacted (Ansible would set the text "None"). Answers become
 * play variables; private answers are returned so the run masks them in its output.
 *
 * @example
 * ```ts
 * const { secrets, warnings } = await askVarsPrompts(playbook, extraVars, terminalIO())
 * ```
 */
import { createInterface } from 'node:readline'
import type { Playbook, VarPrompt } from '../ast.js'
import { UserError, UserErrors } from '../errors.js'
import { unsafeText } from '../expr/render.js'
import { cryptHash } from '../expr/shacrypt.js'
import type { Vars } from '../types.js'
import { askPassword } from './prepare.js'

/** How prompts reach the user: the terminal, or a test's script. */
export interface PromptIO {
  /** Whether standard input is a terminal (nothing is asked otherwise). */
  tty: boolean
  /** Ask one question; `hidden`: no echo. */
  ask(message: string, hidden: boolean): Promise<string>
  /** Print a line on the terminal (the "values do not match" notice). */
  say(line: string): void
}

/** The prompts of the real terminal (questions and notices on stderr, as `--ask-become-pass`). */
export function terminalIO(): PromptIO {
  return {
    tty: process.stdin.isTTY === true,
    ask: (message, hidden) => (hidden ? askPassword(message) : askLine(message)),
    say: (line) => void process.stderr.write(`${line}\n`),
  }
}

/** Ask every play's prompts; set the answers as play variables. Throws `UserErrors` without a terminal. */
export async function askVarsPrompts(
  pb: Playbook,
  extraVars: Vars,
  io: PromptIO,
): Promise<{ secrets: string[]; warnings: string[] }> {
  const secrets: string[] = []
  const warnings: string[] = []
  const errors: UserError[] = []
  for (const play of pb.plays) {
    for (const p of play.varsPrompt ?? []) {
      if (p.name in extraVars) continue
      let answer: string
      if (!io.tty) {
        if (p.default === undefined) {
          errors.push(
            new UserError(
              `vars_prompt "${p.name}": standard input is not a terminal, so it cannot be asked, and it has no default`,
              p.pos,
              `(give it with -e ${p.name}=…, add a default, or run on a terminal)`,
            ),
          )
          continue
        }
        if (!warnings.length) warnings.push('Not prompting as we are not in interactive mode')
        answer = p.default
      } else {
        answer = await askOne(p, io)
        if (p.private && answer && answer !== p.default) secrets.push(answer) // what was typed, not the default
      }
      const value = p.encrypt ? cryptHash(answer, p.encrypt, p) : answer
      play.vars[p.name] = p.unsafe ? unsafeText(value) : value
    }
  }
  if (errors.length) throw new UserErrors(errors)
  return { secrets, warnings }
}

/** One entry asked on the terminal (twice with `confirm`); an empty answer takes the default. */
async function askOne(p: VarPrompt, io: PromptIO): Promise<string> {
  const prompt = p.prompt ?? p.name // Ansible's prompt text defaults to the variable's name
  const msg = p.default !== undefined ? `${prompt} [${p.default}]: ` : `${prompt}: `
  let answer = await io.ask(msg, p.private)
  while (p.confirm) {
    const again = await io.ask(`confirm ${msg}`, p.private)
    if (again === answer) break
    io.say('***** VALUES ENTERED DO NOT MATCH ****')
    answer = await io.ask(msg, p.private)
  }
  return answer === '' && p.default !== undefined ? p.default : answer
}

/** Read one line with echo (a non-private prompt). */
async function askLine(message: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  try {
    return await new Promise<string>((res) => {
      rl.on('SIGINT', () => process.exit(130))
      rl.question(message, res)
    })
  } finally {
    rl.close()
  }
}
