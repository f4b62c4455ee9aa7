/**
 * The English pack, a chunk of its own: a reader in Chinese (nearly everyone) never downloads it.
 * The clerk's and the console's English stay with their own lazy pages.
 */
import { en } from './en.ts'
import { walletEn } from './wallet.en.ts'

export const english = { main: en, wallet: walletEn }
export type EnglishPack = typeof english
