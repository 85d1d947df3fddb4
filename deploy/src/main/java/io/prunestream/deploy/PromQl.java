package io.prunestream.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. A light reading rather than a parser: it drops what cannot hold a metric
 * name (strings, label matchers, ranges, grouping label lists, Grafana variables) and keeps every remaining identifier
 * that is neither a function call, a keyword nor a number. That is exact for the expressions dashboards use.
 */
public final class PromQl {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile("\\d[\\w.]*|[a-zA-Z_:][\\w:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "Inf", "NaN", "inf", "nan", "start", "end");

    private PromQl() {
    }

    /** The metric names {@code expression} reads, in order of appearance. */
    public static Set<String> metricNames(String expression) {
        String rest = STRINGS.matcher(expression).replaceAll(" ");
        rest = VARIABLES.matcher(rest).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher token = TOKEN.matcher(rest);
        while (token.find()) {
            String word = token.group();
            if (Character.isDigit(word.charAt(0)) || KEYWORDS.contains(word) || callsAFunction(rest, token.end())) {
                continue;
            }
            names.add(word);
        }
        return names;
    }

    private static boolean callsAFunction(String text, int after) {
        int i = after;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }
}
