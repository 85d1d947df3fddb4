package io.prunestream.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.store.ModelStoreException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class S3LocationTest {

    @ParameterizedTest
    @CsvSource({
        "s3://models/a/b/, models, a/b",
        "s3://models/a/b, models, a/b",
        "s3://models, models, ''",
        "s3://my.bucket-1/x=1/y@2, my.bucket-1, x=1/y@2"})
    void parsesFoldersWithOrWithoutTheirSlash(String uri, String bucket, String key) throws ModelStoreException {
        S3Location location = S3Location.parse(uri);
        assertThat(location.bucket()).isEqualTo(bucket);
        assertThat(location.key()).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://Models/a", "s3://ab/a", "s3://models/a/../b", "s3://models/a/./b",
        "s3://models/a//b", "s3://models/a?versionId=1", "s3://models/a#x", "s3://key:secret@models/a",
        "s3://models/a b", "file:///models/a", "s3:models/a"})
    void refusesWhatCouldLeaveTheCacheOrIsNotABucketFolder(String uri) {
        assertThatThrownBy(() -> S3Location.parse(uri))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining(uri)
                .satisfies(e -> assertThat(((ModelStoreException) e).reason().code())
                        .isEqualTo("model-outside-store"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://models/a", "S3://models/a"})
    void recognisesTheScheme(String uri) {
        assertThat(S3Location.isS3(uri)).isTrue();
        assertThat(S3Location.isS3("file:///a")).isFalse();
    }
}
