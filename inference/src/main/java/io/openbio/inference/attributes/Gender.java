package io.openbio.inference.attributes;

public enum Gender {
    MALE, FEMALE
}
