import { describe, expect, it } from 'vitest';
import {
  arityProblem,
  COMMANDS,
  commandNames,
  findCommand,
  helpLines,
  unknownCommandMessage,
} from './command-table.js';
import { completeLine, type CompletionSource } from './completion.js';

describe('the command table', () => {
  it('derives arity from the usage line', () => {
    expect(findCommand('add')).toMatchObject({ minArgs: 1, maxArgs: 2 });
    expect(findCommand('presence')).toMatchObject({ minArgs: 1, maxArgs: Number.POSITIVE_INFINITY });
    expect(findCommand('meet')).toMatchObject({ minArgs: 3 });
    expect(findCommand('contacts')).toMatchObject({ minArgs: 0, maxArgs: 0 });
    expect(findCommand('EXIT')?.name).toBe('quit');
  });

  it('has every command the brief promises, each with an example that fits its own arity', () => {
    for (const name of ['presence', 'contacts', 'add', 'remove', 'move', 'groups', 'search', 'watch', 'im'])
      expect(findCommand(name), name).toBeDefined();
    for (const name of ['accept', 'decline', 'chats', 'switch', 'end', 'conf', 'invite', 'join', 'leave'])
      expect(findCommand(name), name).toBeDefined();
    for (const name of ['roster', 'endconf', 'meet', 'meetings', 'whoami', 'quit', 'help'])
      expect(findCommand(name), name).toBeDefined();
    for (const spec of COMMANDS) {
      const args = spec.example.split(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/).slice(1);
      expect(arityProblem(spec, args.length), spec.example).toBeUndefined();
    }
  });

  it('explains a wrong argument count with the usage and an example', () => {
    expect(arityProblem(findCommand('move')!, 1)).toBe(
      'usage: /move <sip> <group>   (e.g. /move bob Friends)',
    );
  });

  it('suggests the closest command for an unknown one', () => {
    expect(unknownCommandMessage('contcts')).toBe('unknown command /contcts — did you mean /contacts?');
    expect(unknownCommandMessage('zzzzzz')).toBe('unknown command /zzzzzz — type /help for the list');
  });

  it('lists every command in /help with its summary and example, and explains one', () => {
    const lines = helpLines();
    for (const spec of COMMANDS)
      expect(lines.some((l) => l.includes(`/${spec.name} `) && l.includes(spec.example))).toBe(true);
    expect(helpLines('quit')).toEqual([
      '/quit',
      '  sign out and leave (also Ctrl-D, Ctrl-C)',
      '  e.g. /quit',
      '  also: /exit',
    ]);
    expect(helpLines('/nope')[0]).toMatch(/^unknown command \/nope/);
  });
});

describe('completeLine', () => {
  const source: CompletionSource = {
    users: () => ['bob', 'barbara', 'carol'],
    groups: () => ['Team', 'Friends'],
    chats: () => ['1', 'bob'],
    invitations: () => ['im-1'],
    conferences: () => ['alice@litwareinc.com/adhoc-1'],
  };
  it('completes command names, with a space after a single match', () => {
    expect(completeLine('/co', source)).toEqual([['/conf', '/contacts'], '/co']);
    expect(completeLine('/wh', source)).toEqual([['/whoami '], '/wh']);
    expect(commandNames()).toContain('exit');
  });
  it('completes arguments by what the command takes', () => {
    expect(completeLine('/presence b', source)).toEqual([['BeRightBack', 'Busy'], 'b']);
    expect(completeLine('/add b', source)).toEqual([['barbara', 'bob'], 'b']);
    expect(completeLine('/add bob F', source)).toEqual([['Friends '], 'F']);
    expect(completeLine('/watch bob c', source)).toEqual([['carol '], 'c']);
    expect(completeLine('/accept ', source)).toEqual([['im-1 '], '']);
    expect(completeLine('/contacts x', source)).toEqual([[], 'x']);
  });
  it('offers nothing for chat text', () => {
    expect(completeLine('hello b', source)).toEqual([[], 'hello b']);
  });
});
