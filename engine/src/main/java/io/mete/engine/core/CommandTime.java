package io.mete.engine.core;

/**
 * The engine's only clock: {@code now} is the largest command timestamp seen (epoch ms) and
 * {@code today} its epoch day. Never read from the wall, so replay reproduces every time decision.
 */
final class CommandTime
{
    long now;
    int today;
}
