import { describe, expect, it } from 'vitest';
import { hashPassword, passwordHashProblem, verifyPassword } from './password-hash.js';

describe('password hashes', () => {
  it('verifies what it hashed and accepts its own form', async () => {
    const h = await hashPassword('Test-Password-1', 1024);
    expect(passwordHashProblem(h)).toBeUndefined();
    expect(await verifyPassword('Test-Password-1', h)).toBe(true);
    expect(await verifyPassword('Test-Password-2', h)).toBe(false);
  });

  it('names what is wrong with a hash it cannot use, and never runs scrypt on it', async () => {
    const good = await hashPassword('Test-Password-1', 1024);
    const [, , r, p, salt, key] = good.split('$');
    const absurd = `scrypt$1073741824$${r}$${p}$${salt}$${key}`;
    expect(passwordHashProblem(absurd)).toMatch(/cost N=1073741824 is not a power of two between 1024/);
    expect(await verifyPassword('Test-Password-1', absurd)).toBe(false);
    expect(passwordHashProblem(`scrypt$1000$${r}$${p}$${salt}$${key}`)).toMatch(/cost/);
    expect(passwordHashProblem(`scrypt$1024$16$${p}$${salt}$${key}`)).toMatch(/r=16/);
    expect(passwordHashProblem(`scrypt$1024$${r}$${p}$${salt}$abc`)).toMatch(/32 bytes/);
    expect(passwordHashProblem(`scrypt$1024$${r}$${p}$!!$${key}`)).toMatch(/salt/);
    expect(passwordHashProblem('bcrypt$2b$10$abc')).toMatch(/scrypt\$N\$r\$p\$salt\$hash/);
  });
});
