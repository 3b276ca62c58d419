import { describe, expect, it } from 'vitest';
import { closest, editDistance, parseCommand, parseLine, textFrom, tokenize } from './command-line.js';
import { domainOf, sameSip, shortName, toSip } from './sip.js';
import { parseMeetingTime } from './meeting-time.js';

describe('parseCommand', () => {
  it('splits a command into a lower-cased name and arguments', () => {
    expect(parseCommand('/Add bob Team')).toMatchObject({ name: 'add', args: ['bob', 'Team'] });
    expect(parseCommand('  /contacts  ')).toMatchObject({ name: 'contacts', args: [] });
    expect(parseCommand('/')).toMatchObject({ name: '', args: [] });
  });

  it('keeps quoted arguments together and unescapes inside double quotes', () => {
    expect(parseCommand('/meet "Design review" +1h +2h bob')?.args).toEqual([
      'Design review',
      '+1h',
      '+2h',
      'bob',
    ]);
    expect(parseCommand(`/move bob 'Old friends'`)?.args).toEqual(['bob', 'Old friends']);
    expect(parseCommand('/conf "say \\"hi\\""')?.args).toEqual(['say "hi"']);
    expect(parseCommand('/add bob ""')?.args).toEqual(['bob', '']);
  });

  it('treats a quote inside a word, or one never closed, as a literal character', () => {
    expect(tokenize(`it's fine`).map((t) => t.value)).toEqual([`it's`, 'fine']);
    expect(tokenize(`"open ended`).map((t) => t.value)).toEqual(['"open', 'ended']);
    expect(tokenize(`"a"b c`).map((t) => t.value)).toEqual(['"a"b', 'c']);
  });

  it('is undefined for text and for a line escaped with //', () => {
    expect(parseCommand('hello')).toBeUndefined();
    expect(parseCommand('//not a command')).toBeUndefined();
  });
});

describe('parseLine', () => {
  it('tells blank lines, commands and chat text apart', () => {
    expect(parseLine('   ')).toEqual({ kind: 'empty' });
    expect(parseLine('/quit')).toMatchObject({ kind: 'command', name: 'quit' });
    expect(parseLine(' hi there ')).toEqual({ kind: 'text', text: 'hi there' });
    expect(parseLine('//shrug')).toEqual({ kind: 'text', text: '/shrug' });
  });
});

describe('textFrom', () => {
  it('takes free text raw from the line, so spacing and apostrophes survive', () => {
    const cmd = parseCommand(`/im bob it's   late, "ok"?`)!;
    expect(textFrom(cmd, 1)).toBe(`it's   late, "ok"?`);
    expect(textFrom(cmd, 5)).toBe('');
  });
  it('unquotes a single quoted argument', () => {
    expect(textFrom(parseCommand('/presence Busy "in a meeting"')!, 1)).toBe('in a meeting');
    expect(textFrom(parseCommand('/presence Busy "in a" meeting')!, 1)).toBe('"in a" meeting');
  });
});

describe('closest', () => {
  const names = ['contacts', 'conf', 'chats', 'accept', 'quit', 'presence'];
  it('suggests the only command a prefix starts, or the nearest by edit distance', () => {
    expect(closest('pres', names)).toBe('presence');
    expect(closest('contcts', names)).toBe('contacts');
    expect(closest('qiut', names)).toBe('quit');
    expect(closest('xyzzy', names)).toBeUndefined();
    expect(closest('', names)).toBeUndefined();
  });
  it('counts edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('SIP addresses', () => {
  it('completes short forms with the domain and names users briefly', () => {
    expect(toSip('bob', 'litwareinc.com')).toBe('sip:bob@litwareinc.com');
    expect(toSip('bob@fabrikam.com', 'litwareinc.com')).toBe('sip:bob@fabrikam.com');
    expect(toSip('SIP:bob@litwareinc.com', undefined)).toBe('sip:bob@litwareinc.com');
    expect(domainOf('sip:alice@LitwareInc.com')).toBe('litwareinc.com');
    expect(shortName('sip:bob@litwareinc.com', 'litwareinc.com')).toBe('bob');
    expect(shortName('sip:bob@fabrikam.com', 'litwareinc.com')).toBe('bob@fabrikam.com');
    expect(sameSip('sip:Bob@litwareinc.com', 'bob@litwareinc.com')).toBe(true);
  });
});

describe('parseMeetingTime', () => {
  const now = Date.parse('2026-05-01T10:00:00Z');
  it('reads ISO times and offsets from now', () => {
    expect(parseMeetingTime('2026-12-01T15:00:00Z', now)).toBe('2026-12-01T15:00:00.000Z');
    expect(parseMeetingTime('2026-12-01T15:00+01:00', now)).toBe('2026-12-01T14:00:00.000Z');
    expect(parseMeetingTime('+30m', now)).toBe('2026-05-01T10:30:00.000Z');
    expect(parseMeetingTime('+2H', now)).toBe('2026-05-01T12:00:00.000Z');
    expect(parseMeetingTime('+1d', now)).toBe('2026-05-02T10:00:00.000Z');
  });
  it('refuses anything else', () => {
    expect(parseMeetingTime('tomorrow', now)).toBeUndefined();
    expect(parseMeetingTime('2026-13-45T99:00Z', now)).toBeUndefined();
  });
});
