import { hash, verify } from "@node-rs/argon2";

// argon2id (algorithm 2) with the baseline's minimum cost: m = 19 MiB, t = 2.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS as Parameters<typeof hash>[1]);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Verifies against a throwaway hash so a missing account costs the same time as a real one. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("kepu-timing-equalizer");
  await verifyPassword(await dummyHash, password);
}
