/**
 * Implementation details shared by the reranker modules. Not a public API: these classes may change
 * in any release.
 */
package dev.reranker.internal;
