package dev.mlops.api;

import java.io.InputStream;
import java.util.Optional;

/**
 * Versioned datasets: content hash, size, row count and schema, optional profile. Registering
 * content that is already a version of the dataset returns that version.
 *
 * <p>Its methods are named as {@link ModelRegistry}'s for the same job: {@code findDataset} and
 * the throwing {@code dataset} as {@code findModel} and {@code model}, {@code version},
 * {@code listVersions} with a {@link VersionQuery}, and {@code setVersionTag}.
 */
public interface DatasetCatalog {

    /**
     * @param name dataset name
     * @param source the data
     * @return the new version, or the existing version with identical content
     */
    DatasetVersion register(String name, DatasetSource source);

    /**
     * @param name dataset name
     * @param version the data and metadata
     * @return the new version, or the existing version with identical content
     */
    DatasetVersion register(String name, NewDatasetVersion version);

    /**
     * @param name dataset name
     * @return the dataset, if it exists
     */
    Optional<Dataset> findDataset(String name);

    /**
     * @param name dataset name
     * @return the dataset
     * @throws NotFoundException if it does not exist
     */
    Dataset dataset(String name);

    /**
     * @param page which page, in name order
     * @return one page of datasets
     */
    Page<Dataset> listDatasets(PageRequest page);

    /**
     * Lists the versions of a dataset that carry every tag of the query, ascending by number.
     * Datasets have no metrics, aliases or archived versions: a query with a metric bound or an
     * alias is refused, and {@link VersionQuery#includeArchived()} changes nothing.
     *
     * @param name dataset name
     * @param query tag filters and page
     * @return one page of matching versions
     * @throws NotFoundException if the dataset does not exist
     * @throws IllegalArgumentException if the query has a metric bound or an alias
     */
    Page<DatasetVersion> listVersions(String name, VersionQuery query);

    /**
     * @param ref a dataset version
     * @return it
     * @throws NotFoundException if it does not exist
     */
    DatasetVersion version(DatasetRef ref);

    /**
     * @param ref a dataset version
     * @param key tag key
     * @param value tag value
     * @return the updated version
     */
    DatasetVersion setVersionTag(DatasetRef ref, String key, String value);

    /**
     * Opens one stored file of the version, verified while read.
     *
     * @param ref a dataset version
     * @param path the file's path in the manifest
     * @return a stream the caller closes
     */
    InputStream open(DatasetRef ref, String path);

    /**
     * @param ref a dataset version
     * @return its profile document
     * @throws NotFoundException if it has none
     */
    byte[] profile(DatasetRef ref);
}
