package dev.mlops.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registered models, their immutable numbered versions and their aliases. Safe for many threads
 * and many processes on one store: version numbers are allocated by create-if-absent, alias
 * moves by compare-and-set. Every mutation appends an entry to the {@link AuditLog}.
 */
public interface ModelRegistry {

    /**
     * Creates an empty model. {@link #register} creates the model on first use, so this is only
     * needed to set a description and tags up front.
     *
     * @param name model name
     * @param description free text
     * @param tags labels
     * @return the new model
     * @throws ConflictException if the model exists
     */
    RegisteredModel createModel(String name, String description, Map<String, String> tags);

    /**
     * @param name model name
     * @return the model, if it exists
     */
    Optional<RegisteredModel> findModel(String name);

    /**
     * @param name model name
     * @return the model
     * @throws NotFoundException if it does not exist
     */
    RegisteredModel model(String name);

    /**
     * @param page which page, models in name order
     * @return one page of models
     */
    Page<RegisteredModel> listModels(PageRequest page);

    /**
     * @param name model name
     * @param description the new description
     * @return the updated model
     */
    RegisteredModel setModelDescription(String name, String description);

    /**
     * @param name model name
     * @param key tag key
     * @param value tag value
     * @return the updated model
     */
    RegisteredModel setModelTag(String name, String key, String value);

    /**
     * @param name model name
     * @param key tag key; removing an absent tag does nothing
     * @return the updated model
     */
    RegisteredModel removeModelTag(String name, String key);

    /**
     * Stores the artifact and registers it as the next version of the model (creating the model
     * if needed). The version becomes visible at once and whole, or not at all.
     *
     * @param name model name
     * @param version what to register
     * @return the registered version
     * @throws NotFoundException if a dataset or parent version in the lineage does not exist
     * @throws InvalidNameException if an artifact path is not acceptable (before anything is stored)
     */
    ModelVersion register(String name, NewModelVersion version);

    /**
     * @param name model name
     * @param version version number
     * @return the version
     * @throws NotFoundException if it does not exist (deleted versions do not)
     */
    ModelVersion version(String name, int version);

    /**
     * @param ref {@code name@alias} or {@code name/N}
     * @return the version it points at now
     * @throws NotFoundException if the model, alias or version does not exist
     */
    ModelVersion resolve(ModelRef ref);

    /**
     * @param name model name
     * @param query filters and page
     * @return one page of matching versions, ascending by number
     */
    Page<ModelVersion> listVersions(String name, VersionQuery query);

    /**
     * @param ref a version
     * @param key tag key
     * @param value tag value
     * @return the updated version
     */
    ModelVersion setVersionTag(ModelRef.Version ref, String key, String value);

    /**
     * @param ref a version
     * @param key tag key
     * @return the updated version
     */
    ModelVersion removeVersionTag(ModelRef.Version ref, String key);

    /**
     * Points an alias at a version, atomically; the move is kept in the alias history. Setting
     * an alias to the version it already points at changes nothing and records nothing.
     *
     * @param name model name
     * @param alias alias name
     * @param version an existing version
     * @return the version the alias now points at
     */
    ModelVersion setAlias(String name, String alias, int version);

    /**
     * Moves an alias as {@link #setAlias} does, but only if it still points where the caller saw
     * it: a compare-and-set move, for decisions made against the current holder of the alias (a
     * promotion gate's "move only if the champion is still version 3"). The move is audited as
     * {@code alias.promote}, with {@code evidence} (for example the decision's attachment name and
     * digest) in the entry, so the audit trail links the move to what justified it.
     *
     * @param name the model
     * @param alias the alias to move
     * @param version the version it should point at
     * @param expected the version the alias must hold now; empty if it must be unset
     * @param evidence recorded in the audit entry; keys and values are free text, and must not
     *     use the keys the registry writes itself ({@code from}, {@code to}, {@code move})
     * @return the version the alias now points at
     * @throws ConflictException if the alias does not hold {@code expected}; nothing changed
     * @throws NotFoundException if the model or version does not exist
     */
    ModelVersion setAliasIf(String name, String alias, int version, java.util.OptionalInt expected,
                            Map<String, String> evidence);

    /**
     * Returns the alias to the version it pointed at before its last forward move that has not
     * been rolled back already (the history works as a stack: each {@link #setAlias} that moves
     * the alias, and each {@link #removeAlias}, pushes the version it left; rollback pops, skipping
     * versions deleted since). Rolling back a removed alias restores it.
     *
     * @param name model name
     * @param alias alias name
     * @return the version the alias now points at
     * @throws ConflictException if there is no earlier version to return to
     */
    ModelVersion rollback(String name, String alias);

    /**
     * @param name model name
     * @param alias alias to remove
     * @throws NotFoundException if the alias is not set
     */
    void removeAlias(String name, String alias);

    /**
     * @param name model name
     * @param alias alias name
     * @return every recorded move of the alias, oldest first. A move's number is its position in
     *     this list, from 1; it never changes, and the move's audit entry carries it as
     *     {@code move} in {@link AuditEntry#after()} (entries written by earlier builds lack it)
     */
    List<AliasMove> aliasHistory(String name, String alias);

    /**
     * Hides a version from default listings; it stays resolvable and loadable.
     *
     * @param ref a version
     * @return the updated version
     */
    ModelVersion archive(ModelRef.Version ref);

    /**
     * @param ref an archived version
     * @return the version, active again
     */
    ModelVersion restore(ModelRef.Version ref);

    /**
     * Deletes a version. Its number is never reused (a tombstone keeps it); its blobs are removed by
     * garbage collection once nothing else references them. Deleting a deleted or unknown version
     * throws {@link NotFoundException}.
     *
     * @param ref a version
     * @throws ConflictException if an alias points at it
     */
    void deleteVersion(ModelRef.Version ref);

    /**
     * Opens one file of a version's artifact. The stream verifies the content as it is read.
     *
     * @param ref a version
     * @param path the file's path in the artifact manifest
     * @return a stream the caller closes
     */
    InputStream openArtifact(ModelRef.Version ref, String path);

    /**
     * Writes a version's artifact into a directory, every file verified against its digest
     * before it is given its final name.
     *
     * @param ref a version
     * @param targetDirectory an existing, empty or absent directory
     * @return the directory, for a single-file artifact the file
     */
    Path exportArtifact(ModelRef.Version ref, Path targetDirectory);

    /**
     * @param ref a version
     * @param name attachment name
     * @return the attachment's bytes, verified
     * @throws NotFoundException if the version has no such attachment
     */
    byte[] attachment(ModelRef.Version ref, String name);

    /**
     * Adds a named document to an existing version, such as a promotion decision or a model
     * card. Append-only: a name is given once and never replaced, so what was recorded about a
     * version stays as it was. Adding the same name with the same content again changes nothing
     * and records nothing (a retry is safe). Audited as {@code version.attach}.
     *
     * @param ref a version
     * @param name attachment name, a valid tag name ({@link Names.Kind#TAG})
     * @param content the bytes to store
     * @return the version with the attachment
     * @throws ConflictException if the version already has an attachment of that name with other content
     * @throws NotFoundException if the version does not exist
     */
    ModelVersion addAttachment(ModelRef.Version ref, String name, byte[] content);

    /**
     * Reverse lineage.
     *
     * @param dataset a dataset version
     * @return every model version (archived included) whose lineage names it in any role
     */
    List<ModelVersion> versionsUsing(DatasetRef dataset);

    /**
     * Listens for alias moves of {@code model} made in this JVM through any registry over the
     * same store ({@link #setAlias}, {@link #setAliasIf}, {@link #rollback},
     * {@link #removeAlias}). Moves made by other processes are not announced: poll
     * {@link #resolve} for those.
     *
     * @param model the model to hear about
     * @param listener told after each committed move
     * @return closing it stops the notices
     */
    Subscription onAliasMoved(String model, AliasListener listener);
}
