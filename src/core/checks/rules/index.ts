/** Every rule, in report order.  Rule ids are interface: front ends and users refer to them. */
import type { Rule } from '../types.js';
import { rule as lockAssertMismatch } from './lock-assert-mismatch.js';
import { rule as lockRequires } from './lock-requires.js';
import { rule as lockOrder } from './lock-order.js';
import { rule as lockUnbalanced } from './lock-unbalanced.js';
import { rule as lockSleepAtomic } from './lock-sleep-atomic.js';
import { rule as lockKillableUnchecked } from './lock-killable-unchecked.js';
import { rule as flagAtomicNotAllowed } from './flag-atomic-not-allowed.js';
import { rule as flagBitCollision } from './flag-bit-collision.js';
import { rule as flagNotRegistered } from './flag-not-registered.js';
import { rule as vmaInsertUnlocked } from './vma-insert-unlocked.js';
import { rule as bugOnAdded } from './bug-on-added.js';
import { rule as warnSideEffect } from './warn-side-effect.js';
import { rule as staleCommentIdent } from './stale-comment-ident.js';

export const RULES: readonly Rule[] = [
  lockAssertMismatch, lockRequires, lockOrder, lockUnbalanced, lockSleepAtomic, lockKillableUnchecked,
  flagAtomicNotAllowed, flagBitCollision, flagNotRegistered, vmaInsertUnlocked, bugOnAdded, warnSideEffect, staleCommentIdent,
];
