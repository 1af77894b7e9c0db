"""Persistent sequences in chunks, for the search snapshot (search/snapshot.py).

A snapshot is shared by the searches reading it while the next one is derived from it after a
publish. Copying its collection-sized lists for that costs a memory copy and a reference count
per document (cold in the CPU's caches after the worker ran), and leaves young containers of
the collection's size for the garbage collector to walk. Kept in chunks, a derived sequence
shares every chunk the change did not touch and copies only the touched ones: the cost of a
publish no longer grows with the collection. Nothing is ever changed in place once a sequence
is made, so an older snapshot keeps its picture exactly.

``ChunkedList``: values by position (a document's sort key by its slot). ``SortedChunks``:
positions in the order of a key (the documents newest first, or by title)."""

import bisect
import itertools

SHIFT = 10
CHUNK = 1 << SHIFT  # values per chunk of a ChunkedList; SortedChunks splits a chunk at twice this
_MASK = CHUNK - 1


class ChunkedList:
    """An immutable list in chunks of CHUNK values: ``replaced`` makes a copy with some
    positions set or appended that shares every untouched chunk."""

    __slots__ = ("_chunks", "_length")

    def __init__(self, values=()):
        values = list(values)
        self._chunks = [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]
        self._length = len(values)

    def __len__(self):
        return self._length

    def __getitem__(self, position):
        if not 0 <= position < self._length:
            raise IndexError(position)
        return self._chunks[position >> SHIFT][position & _MASK]

    def __iter__(self):
        return itertools.chain.from_iterable(self._chunks)

    def __eq__(self, other):
        return isinstance(other, ChunkedList) and self._chunks == other._chunks

    def __repr__(self):
        return f"ChunkedList({list(self)!r})"

    def replaced(self, changes):
        """A copy with ``changes`` ({position: value}) applied; a position may be the length
        (or the next after another appended one): the value is appended."""
        chunks = list(self._chunks)
        length = self._length
        copied = set()
        for position in sorted(changes):
            if position > length or position < 0:
                raise IndexError(position)
            index = position >> SHIFT
            if index == len(chunks):
                chunks.append([])
                copied.add(index)
            elif index not in copied:
                chunks[index] = list(chunks[index])
                copied.add(index)
            if position == length:
                chunks[index].append(changes[position])
                length += 1
            else:
                chunks[index][position & _MASK] = changes[position]
        derived = ChunkedList.__new__(ChunkedList)
        derived._chunks, derived._length = chunks, length
        return derived


class SortedChunks:
    """Positions sorted by a key (unique per position), in chunks of up to 2 × CHUNK: a copy
    with some positions taken out or put in (``changed``) shares every untouched chunk.
    Iterating goes through all positions in order, at the speed of a list."""

    __slots__ = ("_chunks", "_length")

    def __init__(self, ordered=()):
        ordered = list(ordered)
        self._chunks = [ordered[start : start + CHUNK] for start in range(0, len(ordered), CHUNK)]
        self._length = len(ordered)

    def __len__(self):
        return self._length

    def __iter__(self):
        return itertools.chain.from_iterable(self._chunks)

    def __repr__(self):
        return f"SortedChunks({list(self)!r})"

    def changed(self, removed, old_key, added, new_key):
        """A copy without the positions ``removed`` (each found by ``old_key``, the key it was
        sorted by) and with the positions ``added`` (put in by ``new_key``). A position both
        taken out and put in moves to its new place. Positions not in the order are skipped
        when removed. The two keys must agree on every position not in ``removed``."""
        chunks = list(self._chunks)
        length = self._length
        owned = set()  # ids of chunks made by this call: changed in place

        def own(index):
            chunk = chunks[index]
            if id(chunk) not in owned:
                chunk = chunks[index] = list(chunk)
                owned.add(id(chunk))
            return chunk

        def chunk_for(key_value, key):
            """The first chunk whose last position's key is not below ``key_value``."""
            return bisect.bisect_left(range(len(chunks)), key_value, key=lambda index: key(chunks[index][-1]))

        for position in removed:
            value = old_key(position)
            index = chunk_for(value, old_key)
            if index == len(chunks):
                continue
            at = bisect.bisect_left(chunks[index], value, key=old_key)
            if at < len(chunks[index]) and chunks[index][at] == position:
                chunk = own(index)
                del chunk[at]
                length -= 1
                if not chunk:
                    del chunks[index]
        for position in added:
            value = new_key(position)
            if not chunks:
                chunks.append([position])
                owned.add(id(chunks[0]))
                length += 1
                continue
            index = min(chunk_for(value, new_key), len(chunks) - 1)
            chunk = own(index)
            bisect.insort(chunk, position, key=new_key)
            length += 1
            if len(chunk) > 2 * CHUNK:  # split in halves, both owned
                chunks[index : index + 1] = [chunk[:CHUNK], chunk[CHUNK:]]
                owned.update((id(chunks[index]), id(chunks[index + 1])))
        derived = SortedChunks.__new__(SortedChunks)
        derived._chunks, derived._length = chunks, length
        return derived
