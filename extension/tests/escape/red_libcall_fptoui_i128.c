/*
 * float -> unsigned __int128 conversion (__fixunsdfti libcall) hidden in a
 * _BitInt(100) conversion.
 * Expected safe outcome: refused with the conversion named.
 */
// EXPECT-REJECT: conversion
unsigned _BitInt(100) u;
int main(void) { double d = 1e20; u = (unsigned _BitInt(100)) d; return (int) (u >> 60); }
