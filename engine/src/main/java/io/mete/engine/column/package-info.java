/**
 * Primitive columns stored in fixed-size pages: a column grows by adding a page, never by copying
 * what it holds, so the engine thread never stops to move a large array when the book outgrows
 * the size it was built for.
 */
package io.mete.engine.column;
