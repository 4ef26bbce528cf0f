/** The CLI's version: the same as "version" in package.json (a unit test checks). */
export const VERSION = '0.1.0';
