package io.ember.util;

/**
 * Glob-style matching with the exact semantics of Redis's stringmatchlen (KEYS, SCAN MATCH,
 * CONFIG GET, PSUBSCRIBE): {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, {@code \x}
 * escapes. Bytes compare as signed chars, as in C, and recursion is capped at 1000 levels so
 * abusive patterns cannot blow the stack.
 */
public final class Glob {
    private Glob() {}

    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, pattern.length, string, 0, string.length, nocase, new boolean[1], 0);
    }

    public static boolean matches(String pattern, String string) {
        return matches(Bytes.utf8(pattern), Bytes.utf8(string), false);
    }

    private static boolean match(byte[] pat, int p, int plen, byte[] str, int s, int slen, boolean nocase,
                                 boolean[] skipLonger, int nesting) {
        if (nesting > 1000) return false;
        while (plen > 0 && slen > 0) {
            switch (pat[p]) {
                case '*' -> {
                    while (plen > 1 && pat[p + 1] == '*') {
                        p++;
                        plen--;
                    }
                    if (plen == 1) return true;
                    while (slen > 0) {
                        if (match(pat, p + 1, plen - 1, str, s, slen, nocase, skipLonger, nesting + 1)) return true;
                        if (skipLonger[0]) return false;
                        s++;
                        slen--;
                    }
                    // No match from any position: a longer string cannot match either.
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> {
                    s++;
                    slen--;
                }
                case '[' -> {
                    p++;
                    plen--;
                    boolean not = plen > 0 && pat[p] == '^';
                    if (not) {
                        p++;
                        plen--;
                    }
                    boolean matched = false;
                    while (true) {
                        if (plen >= 2 && pat[p] == '\\') {
                            p++;
                            plen--;
                            if (pat[p] == str[s]) matched = true;
                        } else if (plen > 0 && pat[p] == ']') {
                            break;
                        } else if (plen == 0) {
                            p--;
                            plen++;
                            break;
                        } else if (plen >= 3 && pat[p + 1] == '-') {
                            int start = pat[p], end = pat[p + 2], c = str[s];
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                c = lower(c);
                            }
                            p += 2;
                            plen -= 2;
                            if (c >= start && c <= end) matched = true;
                        } else if (nocase ? lower(pat[p]) == lower(str[s]) : pat[p] == str[s]) {
                            matched = true;
                        }
                        p++;
                        plen--;
                    }
                    if (not) matched = !matched;
                    if (!matched) return false;
                    s++;
                    slen--;
                }
                default -> {
                    if (pat[p] == '\\' && plen >= 2) {
                        p++;
                        plen--;
                    }
                    if (nocase ? lower(pat[p]) != lower(str[s]) : pat[p] != str[s]) return false;
                    s++;
                    slen--;
                }
            }
            p++;
            plen--;
            if (slen == 0) {
                while (plen > 0 && pat[p] == '*') {
                    p++;
                    plen--;
                }
                break;
            }
        }
        return plen == 0 && slen == 0;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
