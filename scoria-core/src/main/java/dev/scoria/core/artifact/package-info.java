/** Content-addressed storage of model files on local disk. Depends on the JDK only. */
package dev.scoria.core.artifact;
