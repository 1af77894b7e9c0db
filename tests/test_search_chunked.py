"""The snapshot's chunked sequences (search/chunked.py) behave as the plain lists they replace:
after any series of changes a ChunkedList reads as the list with the same assignments and
appends, a SortedChunks as the positions sorted by their current keys; and every earlier
version still reads exactly as it did (searches may still be using it).

Chunks of 4 values (not 1 024) so that a few dozen positions already span, split and empty
chunks."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import chunked

SMALL = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(chunked, "SHIFT", 2)
    monkeypatch.setattr(chunked, "CHUNK", 4)
    monkeypatch.setattr(chunked, "_MASK", 3)


@given(
    start=st.lists(st.integers(), max_size=30),
    steps=st.lists(
        st.tuples(st.dictionaries(st.integers(0, 40), st.integers(), max_size=6), st.integers(0, 5)), max_size=8
    ),
)
@SMALL
def test_a_chunked_list_reads_as_the_list_it_stands_for(small_chunks, start, steps):
    versions = [(chunked.ChunkedList(start), list(start))]
    for assignments, appended in steps:
        current, expected = versions[-1]
        changes = {position: value for position, value in assignments.items() if position < len(expected)}
        changes.update({len(expected) + n: -n for n in range(appended)})
        derived = current.replaced(changes)
        expected = list(expected) + [None] * appended
        for position, value in changes.items():
            expected[position] = value
        versions.append((derived, expected))
    for sequence, expected in versions:  # the earlier versions are untouched
        assert list(sequence) == expected
        assert len(sequence) == len(expected)
        assert [sequence[p] for p in range(len(expected))] == expected
        with pytest.raises(IndexError):
            sequence[len(expected)]


def test_a_chunked_list_cannot_skip_a_position(small_chunks):
    with pytest.raises(IndexError):
        chunked.ChunkedList([1, 2]).replaced({3: 4})


@given(
    size=st.integers(0, 40),
    steps=st.lists(
        st.tuples(
            st.sets(st.integers(0, 60), max_size=8),  # positions changed (given a new key, or taken out)
            st.sets(st.integers(0, 60), max_size=8),  # of them, those taken out
        ),
        max_size=10,
    ),
    data=st.data(),
)
@SMALL
def test_sorted_chunks_keep_the_positions_in_the_order_of_their_current_keys(small_chunks, size, steps, data):
    keys = {p: (data.draw(st.integers(0, 20)), p) for p in range(size)}  # unique, as a snapshot's keys
    present = set(keys)
    versions = [(chunked.SortedChunks(sorted(present, key=keys.__getitem__)), sorted(present, key=keys.__getitem__))]
    for changed, taken_out in steps:
        old_keys = dict(keys)
        for position in changed:
            keys[position] = (data.draw(st.integers(0, 20)), position)
        now = (present - changed) | (changed - taken_out)
        current, _expected = versions[-1]
        derived = current.changed(
            sorted(changed & set(old_keys)), old_keys.__getitem__, sorted(changed - taken_out), keys.__getitem__
        )
        present = now
        versions.append((derived, sorted(present, key=keys.__getitem__)))
    for order, expected in versions:  # the earlier versions are untouched
        assert list(order) == expected
        assert len(order) == len(expected)
        assert all(len(chunk) <= 2 * chunked.CHUNK and chunk for chunk in order._chunks)
