package io.openbio.inference.model;

/**
 * One row of the committed model manifest ({@code inference/models.tsv}).
 *
 * @param id      stable model id used in templates and results, e.g. {@code fr_feature}
 * @param task    what the model does
 * @param version version of the registry package the file comes from
 * @param source  {@code npm:NAME@VERSION} or {@code deb:NAME=VERSION}
 * @param member  path of the file inside the package
 * @param file    path of the file relative to the models folder
 * @param sha256  pinned SHA-256 of the file
 * @param licence licence as the package states it
 * @param input   input contract
 * @param output  output contract
 */
public record ModelSpec(String id, String task, String version, String source, String member,
                        String file, String sha256, String licence, String input, String output) {
}
