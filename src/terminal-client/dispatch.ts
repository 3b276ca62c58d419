/**
 * @module One typed line in, its effect out: a command is looked up, its argument count checked and its
 * handler run; any other line goes to the current chat. Every failure ends as one `!` line.
 */
import { accountCommands, type CommandResult, type Handler } from './account-commands.js';
import { chatCommands, sendToCurrent } from './chat-commands.js';
import { parseLine } from './command-line.js';
import { arityProblem, findCommand, unknownCommandMessage, type CommandName } from './command-table.js';
import { CommandFailed, type ClientSession } from './client-session.js';

const HANDLERS: Record<CommandName, Handler> = { ...accountCommands, ...chatCommands };

export async function runLine(line: string, s: ClientSession): Promise<CommandResult> {
  const parsed = parseLine(line);
  try {
    switch (parsed.kind) {
      case 'empty':
        return undefined;
      case 'text':
        await sendToCurrent(s, parsed.text);
        return undefined;
      case 'command': {
        const spec = findCommand(parsed.name);
        if (spec === undefined) throw new CommandFailed(unknownCommandMessage(parsed.name));
        const problem = arityProblem(spec, parsed.args.length);
        if (problem !== undefined) throw new CommandFailed(problem);
        return await HANDLERS[spec.name](parsed, s);
      }
    }
  } catch (err) {
    s.out.error(err instanceof CommandFailed ? err.message : `unexpected: ${String(err)}`);
    return undefined;
  }
}
