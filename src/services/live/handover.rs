//! Which sockets are open and which one is current: on `socket_closing` a new socket opens before the old
//! one closes, so frames come from both for a moment. Pure bookkeeping; the tracker removes duplicates.

/// A socket's number within one engine run.
pub type SocketId = u32;

/// The current socket, and the retiring one while a hand-over is under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sockets {
    current: SocketId,
    retiring: Option<SocketId>,
}

/// What a closed socket means for the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosedSocket {
    /// The retiring socket (or one already replaced) closed: expected, nothing is lost.
    Retired,
    /// The current socket closed: the link is down.
    LinkLost,
}

impl Sockets {
    /// Bookkeeping for a first socket numbered `first`.
    pub fn new(first: SocketId) -> Self {
        Self {
            current: first,
            retiring: None,
        }
    }

    /// The socket whose writer sends pings and whose silence counts.
    pub fn current(&self) -> SocketId {
        self.current
    }

    /// Whether two sockets are open (a hand-over in progress).
    #[cfg(test)]
    pub fn is_handing_over(&self) -> bool {
        self.retiring.is_some()
    }

    /// `from` said `socket_closing`: the id the new socket must get, or `None` when a hand-over is already
    /// under way or the warning came from a socket already being retired.
    pub fn closing(&mut self, from: SocketId) -> Option<SocketId> {
        if from != self.current || self.retiring.is_some() {
            return None;
        }
        let next = self.current.wrapping_add(1);
        self.retiring = Some(self.current);
        self.current = next;
        Some(next)
    }

    /// A frame arrived on `from`: when the new socket speaks for the first time, the retiring one to close.
    pub fn frame(&mut self, from: SocketId) -> Option<SocketId> {
        if from == self.current {
            self.retiring.take()
        } else {
            None
        }
    }

    /// `from` closed.
    pub fn closed(&mut self, from: SocketId) -> ClosedSocket {
        if from == self.current {
            ClosedSocket::LinkLost
        } else {
            if self.retiring == Some(from) {
                self.retiring = None;
            }
            ClosedSocket::Retired
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_socket_closes_only_once_the_new_one_speaks() {
        let mut sockets = Sockets::new(0);
        assert_eq!(sockets.closing(0), Some(1));
        assert_eq!(sockets.current(), 1);
        assert!(sockets.is_handing_over());
        assert_eq!(sockets.frame(0), None, "the old socket still delivers");
        assert_eq!(
            sockets.frame(1),
            Some(0),
            "the new one spoke: retire the old"
        );
        assert!(!sockets.is_handing_over());
        assert_eq!(sockets.frame(1), None);
        assert_eq!(sockets.closed(0), ClosedSocket::Retired);
        assert_eq!(sockets.closed(1), ClosedSocket::LinkLost);
    }

    #[test]
    fn the_old_socket_closing_first_is_no_gap() {
        let mut sockets = Sockets::new(4);
        sockets.closing(4);
        assert_eq!(sockets.closed(4), ClosedSocket::Retired);
        assert!(!sockets.is_handing_over());
        assert_eq!(sockets.frame(5), None, "nothing left to retire");
    }

    #[test]
    fn repeated_warnings_start_one_hand_over() {
        let mut sockets = Sockets::new(0);
        assert_eq!(sockets.closing(0), Some(1));
        assert_eq!(sockets.closing(0), None, "from the retiring socket");
        assert_eq!(sockets.closing(1), None, "while handing over");
        sockets.frame(1);
        assert_eq!(
            sockets.closing(1),
            Some(2),
            "a later warning on the new socket"
        );
    }
}
