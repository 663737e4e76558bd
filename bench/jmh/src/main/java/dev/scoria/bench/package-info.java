/** JMH benchmarks of Scoria's code paths, each against a baseline measured in the same run. Not shipped. */
package dev.scoria.bench;
