#pragma once
// Name normalisation for exact look-up (blind indexes) and for linkage (CLKs).
// Thread-safe: every call uses thread-local ICU objects.

#include <string>
#include <string_view>

namespace haven::privacy {

// Folds the spellings of one name together into lower-case ASCII words separated by
// single spaces, so that the Azerbaijani Latin, Russian Cyrillic and English spellings
// of a name come out equal or close:
//
//   Məmmədov, MAMMADOV, Mammadov      → mammadov      Мамедов, Mamedov → mamedov
//   Gülnarə, Gulnara, Гюльнара        → gulnara       Əliyeva, Алиева  → aliyeva
//   Şahin, Shahin, Шахин              → shahin        Кёнюль, Könül    → konul
//
// Steps: Unicode NFKC (full-width and compatibility forms), lower case (İ and I both
// give i), Azerbaijani Latin to the official English transliteration (ə→a, ı→i, ş→sh,
// ç→ch, ğ→g, ö→o, ü→u, q→g; in words that are recognisably Azerbaijani, by one of
// ə ı ğ ş ç q, also x→kh and c→j), Russian and Azerbaijani Cyrillic to the same
// conventions (BGN/PCGN-like: ш→sh, ж→zh, й→y, ye/yo/yu/ya at the start of a syllable,
// e/o/u/a after a consonant, ь and ъ dropped, ы→i), any other script through ICU's
// Any-Latin, remaining accents removed, "kh" folded to "h" (Azerbaijani x and h and
// Russian х are written both ways), apostrophes removed, and every other
// non-alphanumeric run collapsed to one space.
//
// Returns an empty string for input that is not valid UTF-8.
std::string NormalizeName(std::string_view utf8);

// NormalizeName, then spelling variants that transliteration cannot decide folded
// together, for CLKs (never for blind indexes: it merges names that are different):
//   a y between a consonant and a vowel is dropped (Vyusalya/Вюсаля, Nigyar/Нигяр),
//   a y between vowels is dropped (Aliyev/Aliev, Ismayilov/Ismailov),
//   a y after a vowel and before a consonant or the end becomes i (Huseynov/Guseinov,
//   Nikolay/Nikolai), a final y after a consonant becomes i (Dmitry/Dmitriy),
//   initial ye becomes e (Yelena/Elena), dzh becomes j and gh becomes g (Dzhafarov/
//   Jafarov, Baghirov/Bagirov), and doubled letters become one (Mammadov/Mamadov).
// Similarity then comes from the n-grams; exact equality is not the goal.
std::string NormalizeNameForLinkage(std::string_view utf8);

// A patronymic reduced to the father's given name, for CLKs: NormalizeNameForLinkage,
// then the gender marker that follows an Azerbaijani or Central Asian patronymic as a
// separate word is dropped (oğlu, oglu, ogly, qızı, gizi, kizi, kyzy, uulu, ...), and so
// is the Russian suffix of a one-word patronymic (-ovich, -evich, -ovna, -evna, -ich,
// -ichna), so that the forms registrars write come out close:
//
//   Rəşad oğlu, Рашад оглы, Rashad ogly, Rashad      → rashad
//   Rəşad qızı, Рашад кызы, Rashad kizi              → rashad
//   Рашадович, Rashadovich, Рашадовна                → rashad
//   Сергеевич, Sergeyevich                           → serg    (Sergey → sergei: close)
std::string NormalizePatronymicForLinkage(std::string_view utf8);

}  // namespace haven::privacy
