// The fonts the writers use, all from npm packages: Tinos (Times New Roman metrics) and a symbol fallback.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export type FontVariant = 'regular' | 'bold' | 'italic' | 'boldItalic';

function packageFile(pkg: string, rel: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), rel);
}

/** Tinos: metric-compatible with Times New Roman, covers every Vietnamese letter (Apache/OFL). */
export const TINOS_FILES: Record<FontVariant, string> = {
  regular: packageFile('@expo-google-fonts/tinos', '400Regular/Tinos_400Regular.ttf'),
  bold: packageFile('@expo-google-fonts/tinos', '700Bold/Tinos_700Bold.ttf'),
  italic: packageFile('@expo-google-fonts/tinos', '400Regular_Italic/Tinos_400Regular_Italic.ttf'),
  boldItalic: packageFile('@expo-google-fonts/tinos', '700Bold_Italic/Tinos_700Bold_Italic.ttf'),
};

/** Fallback for glyphs Tinos lacks, notably the tick boxes ☐ ☒ (OFL). */
export const SYMBOL_FILE = packageFile('@expo-google-fonts/noto-sans-symbols-2', '400Regular/NotoSansSymbols2_400Regular.ttf');

/** The family name documents declare: Word and LibreOffice map it to Times New Roman or a metric clone. */
export const DOCUMENT_FONT_FAMILY = 'Times New Roman';

export function variantOf(bold: boolean, italic: boolean): FontVariant {
  return bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular';
}
