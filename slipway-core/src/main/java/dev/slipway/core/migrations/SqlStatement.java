package dev.slipway.core.migrations;

/**
 * One statement of a migration file as {@link SqlSplitter} cut it out.
 *
 * @param line  1-based line of the statement's first character, where a reason points
 * @param text  the statement without its terminating semicolon, comments blanked to spaces, for the parser
 * @param code  {@code text} with the insides of strings, quoted identifiers and dollar-quoted bodies turned into {@code _},
 *              so a keyword search never matches inside a literal; same length as {@code text}
 * @param shown the statement's first line as written, for the plan
 */
record SqlStatement(int line, String text, String code, String shown) {
}
