/**
 * The {@code python} runtime: an Azure ML entry script ({@code score.py} with {@code init()} and
 * {@code run()}) served unchanged by a pool of Python worker processes. The server talks to each
 * worker over its stdin and stdout with length-prefixed frames ({@link Frames});
 * the worker ({@code scoria_worker.py}, shipped as a resource with Scoria's stand-ins for Azure's
 * {@code azureml.*} modules) dispatches to {@code run()} as Azure's inference server does. A deployment
 * with no code and one scikit-learn model runs Scoria's own entry script instead ({@link BuiltInScript}).
 *
 * <p>Depends on the core's runtime SPI and Jackson only. Nothing here knows HTTP: answers are
 * {@link dev.scoria.core.runtime.RawResult}s, failures {@link dev.scoria.core.ScoriaException}s or
 * {@link PythonRunError}s (the script raised).
 */
package dev.scoria.runtime.python;
